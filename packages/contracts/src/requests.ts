import { z } from 'zod';

/**
 * The body of an action that takes no input (acknowledge, approve, revoke…): send none (or `null`), or `{}`.
 * Any field is refused as unknown, as on every other request, so a client that believes it is passing
 * something learns that it is not.
 */
export const EmptyBody = z.strictObject({}).nullish();
