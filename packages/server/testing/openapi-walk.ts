import fc from 'fast-check';

/**
 * Reads the app's own OpenAPI document as an outsider would: its operations, and for each request schema
 * a value that the schema admits, the places of its objects, strings and required fields. The route walk
 * and the fuzz test build their requests from these, so a route added tomorrow is covered by both.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface Parameter {
  name: string;
  isRequired: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** Fastify's form, `/api/reports/:id`, as in `app.registeredRoutes`. */
  url: string;
  body: JsonSchema | undefined;
  query: Parameter[];
  params: Parameter[];
  headers: Parameter[];
}

export type Path = Array<string | number>;

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const parameters = (where: string) =>
        (op.parameters ?? [])
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, isRequired: p.required === true, schema: p.schema }));
      return {
        method: method.toUpperCase(),
        url: path.replace(/\{(\w+)\}/g, ':$1'),
        body: op.requestBody?.content?.['application/json']?.schema,
        query: parameters('query'),
        params: parameters('path'),
        headers: parameters('header'),
      };
    }),
  );
}

/** The schema a `$ref` points at (components only, as the generator writes them). */
export function deref(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let depth = 0; s.$ref && depth < 20; depth++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${s.$ref}`);
    s = target;
  }
  return s;
}

const typeOf = (s: JsonSchema): string | undefined =>
  Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;

/** The non-null choice of a union, or the schema itself. */
export function choice(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const s = deref(doc, schema);
  const options = s.anyOf ?? s.oneOf;
  if (!options) return s;
  const first = options.map((o) => deref(doc, o)).find((o) => o.type !== 'null');
  return first ? choice(doc, first) : s;
}

export const isObjectSchema = (s: JsonSchema) => typeOf(s) === 'object' || s.properties !== undefined;

const formatSamples: Record<string, string> = {
  uuid: '6f1c1d2e-0000-4000-8000-00000000000a',
  'date-time': '2026-05-01T07:50:00.000Z',
  date: '2026-05-01',
  uri: 'https://bank.example.cn/hooks/fanzha',
  email: 'liaison@example.cn',
};

function sampleString(s: JsonSchema): string {
  if (s.format && formatSamples[s.format]) return formatSamples[s.format]!;
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 1000;
  if (s.pattern) {
    const pattern = new RegExp(s.pattern);
    const fits = fc
      .stringMatching(pattern, { size: 'xsmall' })
      .filter((t) => t.length >= min && t.length <= max && t.trim() === t);
    return fc.sample(fits, { numRuns: 1, seed: 42 })[0]!;
  }
  return 'sampletext'.repeat(30).slice(0, Math.min(Math.max(min, 8), max));
}

function sampleNumber(s: JsonSchema): number {
  let n = 1;
  if (s.minimum !== undefined && n < s.minimum) n = s.minimum;
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) n = s.exclusiveMinimum + 1;
  if (s.maximum !== undefined && n > s.maximum) n = s.maximum;
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) n = s.exclusiveMaximum - 1;
  return n;
}

/** A value the schema admits, with every optional field present too (so that each one is exercised). */
export function sampleOf(doc: OpenApiDocument, schema: JsonSchema): unknown {
  const s = choice(doc, schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (isObjectSchema(s))
    return Object.fromEntries(
      Object.entries(s.properties ?? {}).map(([key, value]) => [key, sampleOf(doc, value)]),
    );
  const type: string = typeOf(s) ?? 'any';
  switch (type) {
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 1, 1) }, () => sampleOf(doc, s.items ?? {}));
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return sampleNumber(s);
    case 'boolean':
      return true;
    default:
      return 'sample';
  }
}

export interface Places {
  /** Objects with declared properties, where an unknown key can be put, and their schemas. */
  objects: Array<{ at: Path; schema: JsonSchema }>;
  strings: Path[];
  /** Fields their object requires. */
  required: Path[];
}

/** The places in `value` (a sample of `schema`) that the walk varies one at a time. */
export function placesIn(doc: OpenApiDocument, schema: JsonSchema, value: unknown, at: Path = []): Places {
  const places: Places = { objects: [], strings: [], required: [] };
  const s = choice(doc, schema);
  if (typeof value === 'string') places.strings.push(at);
  else if (Array.isArray(value))
    value.forEach((item, i) => merge(places, placesIn(doc, s.items ?? {}, item, [...at, i])));
  else if (value !== null && typeof value === 'object' && s.properties) {
    places.objects.push({ at, schema: s });
    for (const key of s.required ?? []) places.required.push([...at, key]);
    for (const [key, item] of Object.entries(value))
      merge(places, placesIn(doc, s.properties[key] ?? {}, item, [...at, key]));
  }
  return places;
}

function merge(into: Places, from: Places) {
  into.objects.push(...from.objects);
  into.strings.push(...from.strings);
  into.required.push(...from.required);
}

/** A copy of `value` with `change` applied to the object or field at `path`. */
export function changedAt(
  value: unknown,
  path: Path,
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) throw new Error('changedAt needs a field, not the root');
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1]!);
  return copy;
}

export const fieldOf = (where: string, path: Path) => [where, ...path].join('.');
