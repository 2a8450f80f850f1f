/**
 * The parts of a list's cursor (or of a stream's `Last-Event-ID`) that reach SQL as typed values. A cursor
 * comes back from a client, so what it decodes to must fit PostgreSQL's types before it is used: a uuid in its
 * one form (36 characters of hex digits and dashes are not yet one), and a time PostgreSQL can store
 * (`isStorableTime`, from the contracts: the one range of times the API takes).
 */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: unknown): text is string => typeof text === 'string' && uuid.test(text);
