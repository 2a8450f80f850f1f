import { signalSchemas } from '@fanzha/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatch } from './screening.parse';
import { isValidCall, isValidSms } from './screening.hot-check';

/**
 * The hand-written check of calls and SMS against their zod contracts: it must accept exactly what the
 * schema accepts. (Accepting less would only cost speed; accepting more would let a bad signal through, so
 * every case also checks that direction.) Refusals always come from the schema: parseBatch's problems for
 * a refused signal are the schema's own.
 */
/** Read as the server reads a batch it receives just after the signals' time. */
const parse = (raw: unknown) => parseBatch(raw, new Date('2026-05-01T08:00:00Z'));
const call = {
  id: 'c1',
  at: '2026-05-01T07:59:00Z',
  subscriber: '+8613800138000',
  countyCode: '520102',
  from: '17012345678',
  durationS: 30,
  isInternational: false,
};
const sms = {
  id: 's1',
  at: '2026-05-01T07:59:00.123+08:00',
  subscriber: '+8613800138000',
  countyCode: null,
  from: '10690000',
  hasLink: true,
  textSha256: 'a'.repeat(64),
};
const kinds = [
  { kind: 'call', valid: call, check: isValidCall, schema: signalSchemas.call },
  { kind: 'sms', valid: sms, check: isValidSms, schema: signalSchemas.sms },
] as const;

/** Values each field may take in the table and the property: valid ones, edges and wrong ones. */
const datetimes = [
  '2026-05-01T07:59:00Z',
  '2026-05-01T07:59:00.5Z',
  '2026-05-01T07:59:00.123456789-05:30',
  '2024-02-29T00:00:00Z',
  '2000-02-29T23:59:59+23:59',
  '2026-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-05-01T24:00:00Z',
  '2026-05-01T07:60:00Z',
  '2026-05-01T07:59:60Z',
  '2026-05-01T07:59Z',
  '2026-05-01T07:59:00',
  '2026-05-01 07:59:00Z',
  '2026-05-01T07:59:00.Z',
  '2026-05-01T07:59:00+24:00',
  '2026-05-01T07:59:00+0800',
  '2026-05-01t07:59:00z',
  // The years a timestamp holds: the year 0, and 10000 once the offset applies, are refused.
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0001-01-01T07:59:59+08:00',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:00:00-08:00',
  '',
  20260501,
  null,
];
const fieldValues: Record<string, unknown[]> = {
  id: ['x', 'a'.repeat(64), 'a'.repeat(65), '', '信号-1', 7, null, ['c1']],
  at: datetimes,
  subscriber: [
    '+861380013',
    '+123456',
    '+1234567890123456',
    '+12345',
    '8613800138000',
    '+86 138',
    '',
    1,
    null,
  ],
  countyCode: ['520102', null, '52010', '5201020', 'abcdef', '５２０１０２', 520102, undefined],
  from: ['abc', 'ab', 'a'.repeat(32), 'a'.repeat(33), '+8617012345678', 17012345678, null],
  durationS: [0, 1, 3600, -0, -1, 1.5, 2 ** 53, 2 ** 53 - 1, Infinity, NaN, '30', null, true],
  isInternational: [true, false, 0, 'false', null],
  hasLink: [true, false, 1, 'true', null],
  textSha256: [
    'a'.repeat(64),
    '0123456789abcdef'.repeat(4),
    'A'.repeat(64),
    'a'.repeat(63),
    'g'.repeat(64),
    null,
  ],
};

const zodAccepts = (schema: (typeof kinds)[number]['schema'], value: unknown) =>
  schema.safeParse(value).success;

describe('the hot signals’ hand-written check against their zod contracts', () => {
  for (const { kind, valid, check, schema } of kinds) {
    it(`${kind}: a table of each field's edges, a missing field, an unknown field, not an object`, () => {
      const cases: unknown[] = [valid, null, [], 'signal', 42, [valid], { ...valid, extra: 1 }];
      cases.push(Object.assign(Object.create(null) as object, valid));
      for (const field of Object.keys(valid)) {
        const { [field]: _dropped, ...missing } = valid as Record<string, unknown>;
        cases.push(missing, { ...missing, other: (valid as Record<string, unknown>)[field] });
        for (const v of fieldValues[field] ?? []) cases.push({ ...valid, [field]: v });
      }
      for (const value of cases) expect([value, check(value)]).toEqual([value, zodAccepts(schema, value)]);
      expect(check(valid)).toBe(true);
    });

    it(`${kind}: near-valid signals, each field drawn from valid and wrong values, fields dropped or added`, () => {
      const fields = Object.keys(valid);
      const signal = fc
        .record({
          values: fc.tuple(
            ...fields.map((f) =>
              fc.oneof(
                fc.constant((valid as Record<string, unknown>)[f]),
                fc.constantFrom(...(fieldValues[f] ?? [null])),
                fc.string({ maxLength: 70 }),
                fc.integer(),
              ),
            ),
          ),
          drop: fc.option(fc.constantFrom(...fields)),
          extra: fc.option(fc.constantFrom('extra', 'kind', '__proto__', 'Id')),
        })
        .map(({ values, drop, extra }) => {
          const s: Record<string, unknown> = {};
          fields.forEach((f, i) => {
            if (f !== drop) s[f] = values[i];
          });
          if (extra) Object.defineProperty(s, extra, { value: 1, enumerable: true, writable: true });
          return s;
        });
      fc.assert(
        fc.property(signal, (s) => {
          expect(check(s)).toBe(zodAccepts(schema, s));
        }),
        { numRuns: 3_000 },
      );
    });
  }

  it('refuses in parseBatch, after either check, a signal more than a day after the batch was received', () => {
    // The time rule is the server's at receipt, not the contract's: both checks accept the signal, both refuse it.
    const late = { ...call, id: 'f1', at: '2026-05-02T08:00:00.001Z' };
    const dayAhead = { ...sms, id: 'f2', at: '2026-05-02T16:00:00+08:00' };
    for (const [kind, signal] of [
      ['call', late],
      ['sms', dayAhead],
      ['call', { ...late, at: '9999-12-31T23:00:00Z' }],
    ] as const) {
      expect([isValidCall, isValidSms][kind === 'call' ? 0 : 1]!(signal)).toBe(true);
      expect(signalSchemas[kind].safeParse(signal).success).toBe(true);
    }
    const results = (kind: 'call' | 'sms', signals: object[]) =>
      parse({ kind, operator: 'china_mobile', sentAt: call.at, signals }).results.map((r) =>
        r.status === 'refused' ? r.problems.map((p) => `${p.field} ${p.reason}`) : r.status,
      );
    expect(results('call', [late, { ...late, at: '9999-12-31T23:00:00Z' }, call])).toEqual([
      ['signals.0.at time_future'],
      ['signals.1.at time_future'],
      'accepted',
    ]);
    // 08:00 UTC the next day: exactly a day after receipt, taken.
    expect(results('sms', [dayAhead])).toEqual(['accepted']);
  });

  it("refuses in parseBatch with the schema's own problems (field, reason), and accepts what it accepts", () => {
    const bad = [
      { ...call, id: 'b1', durationS: -1 },
      { ...call, id: 'b2', at: '2026-02-30T00:00:00Z' },
      { ...call, id: 'b3', extra: true },
      { ...call, id: 'b4', countyCode: undefined },
      { ...call, id: 'b5', subscriber: '+86 138' },
    ];
    const parsed = parse(
      JSON.stringify({ kind: 'call', operator: 'china_mobile', sentAt: call.at, signals: [call, ...bad] }),
    );
    expect(parsed.items.map((i) => i.signalId)).toEqual(['c1']);
    const refused = parsed.results.filter((r) => r.status === 'refused');
    expect(refused.map((r) => r.problems.map((p) => [p.field, p.reason]))).toEqual(
      bad.map((b, i) => {
        const error = signalSchemas.call.safeParse(JSON.parse(JSON.stringify(b))).error!;
        return error.issues.flatMap((issue) => {
          const path = ['signals', String(i + 1), ...issue.path.map(String)].join('.');
          return issue.code === 'unrecognized_keys'
            ? issue.keys.map((k) => [`${path}.${k}`, 'unrecognized_keys'])
            : [[path, issue.code]];
        });
      }),
    );
    expect(refused.map((r) => r.problems.map((p) => p.reason))).toEqual([
      ['too_small'],
      ['invalid_format'],
      ['unrecognized_keys'],
      ['invalid_type'],
      ['invalid_format'],
    ]);
  });
});
