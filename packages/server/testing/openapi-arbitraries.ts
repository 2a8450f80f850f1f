import fc from 'fast-check';
import { choice, isObjectSchema, sampleOf, type JsonSchema, type OpenApiDocument } from './openapi-walk';

/**
 * fast-check arbitraries built from the OpenAPI schemas: mostly values the schema admits (so requests
 * get past validation and into the services and the database), mixed with what an attacker or a broken
 * integration sends — NUL and lone surrogates, 100 kB strings, right-to-left marks, SQL and HTML, the names
 * every JavaScript object has (`constructor`, `__proto__`), absurd numbers, wrong types and unknown keys.
 */

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

export const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil\u202C',
    '\u200F\u05D0\u05D1',
    "'; drop table report; --",
    "1' OR '1'='1",
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '${jndi:ldap://x/a}',
    '../../etc/passwd',
    '%00',
    '\\',
    '"',
    '',
    ' ',
    '\u3000',
    '😀'.repeat(20),
    'NaN',
    '1e308',
    '-1',
    ...PROTOTYPE_NAMES,
  ),
  fc.constant('x'.repeat(100_000)),
  anyUtf16,
);

const hostileNumber = fc.constantFrom(-1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1e13 + 1, 1e-300);

const wrongType = fc.constantFrom<unknown>(null, true, false, {}, [], 0, '', [null], { a: 1 }, '1', 'true');

/** Text that passes a plain string schema, hostile in content only (RTL, SQL, HTML, emoji). */
function admissibleText(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 2000;
  return fc
    .oneof(
      fc.constantFrom(
        "O'Brien; drop table report; --",
        '<b>粗体</b>&amp;',
        '\u202E张三\u202C',
        '\u200F\u05D0\u05D1\u05D2',
        '😀 emoji',
        'Ａ全角',
        // Names every JavaScript object has: a lookup in a plain object finds them too.
        ...PROTOTYPE_NAMES,
      ),
      fc.string({ minLength: min, maxLength: Math.min(max, 40) }),
    )
    .map((t) => t.padEnd(min, 'x').slice(0, max));
}

function leaf(doc: OpenApiDocument, s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const sample = fc.constant(sampleOf(doc, s));
  const type = (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ?? 'any';
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return fc.uuid({ version: 4 });
      if (s.format === 'date-time')
        return fc.oneof(
          {
            weight: 4,
            arbitrary: fc
              .date({
                min: new Date('2026-04-01T00:00:00Z'),
                max: new Date('2026-06-01T00:00:00Z'),
                noInvalidDate: true,
              })
              .map((d) => d.toISOString()),
          },
          // ISO times the calendar has and a timestamp column does not (the year 0, or 10000 once the offset
          // applies), and the edges around them.
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              '0000-01-01T00:00:00Z',
              '0001-01-01T00:00:00+08:00',
              '0001-01-01T00:00:00Z',
              '1969-12-31T23:59:59Z',
              '9999-12-31T23:59:59Z',
              '9999-12-31T23:00:00-08:00',
            ),
          },
        );
      return s.pattern || s.format ? sample : fc.oneof(sample, admissibleText(s));
    case 'integer':
      return fc.oneof(
        sample,
        fc.integer({ min: Math.max(s.minimum ?? -1e6, -1e9), max: Math.min(s.maximum ?? 1e9, 1e9) }),
      );
    case 'number':
      return fc.oneof(sample, fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    default:
      return sample;
  }
}

/**
 * A value for `schema`. Admissible: what the schema takes, hostile in content only (SQL, HTML, RTL),
 * so that the request reaches the services and the database. Hostile: anywhere, at any depth, NUL and
 * lone surrogates, 100 kB strings, absurd numbers, wrong types, unknown keys and missing fields.
 */
export function valueFor(
  doc: OpenApiDocument,
  schema: JsonSchema,
  isHostile: boolean,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = choice(doc, schema);
  const admissible = admissibleFor(doc, s, isHostile, depth);
  if (!isHostile) return admissible;
  return fc.oneof(
    { weight: 6, arbitrary: admissible },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.oneof(hostileNumber, wrongType) },
  );
}

function admissibleFor(
  doc: OpenApiDocument,
  s: JsonSchema,
  isHostile: boolean,
  depth: number,
): fc.Arbitrary<unknown> {
  if (isObjectSchema(s) && !s.enum) {
    const properties = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const record = fc.record(
      Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, valueFor(doc, v, isHostile, depth + 1)]),
      ),
      { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
    );
    if (!isHostile) return record;
    const unknownKey = fc.oneof(fc.constantFrom('stopped_fen', '__proto__', 'constructor'), hostileText);
    return fc.oneof(
      { weight: 6, arbitrary: record },
      {
        weight: 1,
        arbitrary: fc.tuple(record, unknownKey, fc.jsonValue()).map(([r, key, v]) =>
          // defineProperty, so that even `__proto__` becomes a key of the JSON sent, not a prototype.
          Object.defineProperty({ ...r }, key, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          }),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(record, fc.nat()).map(([r, i]) => {
          const keys = Object.keys(r);
          const copy: Record<string, unknown> = { ...r };
          if (keys.length > 0) delete copy[keys[i % keys.length]!];
          return copy;
        }),
      },
    );
  }
  if ((Array.isArray(s.type) ? s.type.includes('array') : s.type === 'array') && s.items)
    return depth > 3
      ? fc.constant([])
      : fc.array(valueFor(doc, s.items, isHostile, depth + 1), {
          minLength: s.minItems ?? 0,
          maxLength: Math.min(s.maxItems ?? 3, 3),
        });
  return leaf(doc, s);
}

/** A query parameter's value as a client would put it in a URL: text, whatever its type. */
export function queryValueFor(doc: OpenApiDocument, schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: admissibleFor(doc, choice(doc, schema), false, 9).map(String) },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: hostileNumber.map(String) },
  );
}

/** A path parameter as it appears in a URL (already percent-encoded where it must be). */
export function pathParamFor(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...realIds) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'a'.repeat(101),
        'a'.repeat(5000),
        '%00',
        'a%00b',
        '%ED%A0%80',
        '%',
        '%E0%A4%A',
        '..',
        '%2e%2e%2f',
        encodeURIComponent("1' OR '1'='1"),
        encodeURIComponent('\u202E'),
        '00000000-0000-0000-0000-000000000000',
        '-1',
        'NaN',
        '1e308',
      ),
    },
  );
}
