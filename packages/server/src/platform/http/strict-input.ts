import type { FieldProblem } from '@fanzha/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validationError } from './errors';

/**
 * Text that no field of fanzha may hold: the NUL character, which PostgreSQL cannot store in text (it
 * answered 500 and, on some routes, before any authentication), and a UTF-16 surrogate without its
 * pair, which is not a character and cannot be encoded as UTF-8. Both are refused as input, in the one
 * error shape, before any route sees them.
 */
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const unsafeText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isSafeText = (text: string) => !unsafeText.test(text);

const problem = (field: string): FieldProblem => ({
  field,
  reason: 'invalid_characters',
  message: 'contains a NUL character or an unpaired UTF-16 surrogate',
});

/** Every string (and object key) under `value` that holds unsafe text, by field path. */
export function unsafeTextIn(value: unknown, at: string, found: FieldProblem[] = []): FieldProblem[] {
  if (typeof value === 'string') {
    if (!isSafeText(value)) found.push(problem(at));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unsafeTextIn(item, `${at}.${i}`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A key with unsafe text is named by its safe part only: the answer must not carry it back.
      if (!isSafeText(key)) found.push(problem(`${at}.${key.replace(unsafeTextGlobal, '?')}`));
      else unsafeTextIn(item, `${at}.${key}`, found);
    }
  }
  return found;
}
const unsafeTextGlobal = new RegExp(unsafeText.source, 'g');

const noQuery = z.strictObject({});

/**
 * Bodies are read as UTF-8 JSON, uncompressed. A body sent gzip-compressed or in another charset would be
 * read as if it were neither (Fastify ignores both headers): refused instead, naming the header.
 */
function bodyEncodingProblems(headers: IncomingHttpHeaders): FieldProblem[] {
  const found: FieldProblem[] = [];
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity')
    found.push({
      field: 'header.content-encoding',
      reason: 'unsupported',
      message: 'bodies are taken uncompressed only (identity)',
    });
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    found.push({ field: 'header.content-type', reason: 'unsupported', message: 'the charset must be utf-8' });
  return found;
}

/**
 * Refuses unsafe text anywhere in a request: headers first (authentication reads the cookie and the
 * bank's key), then the path parameters, the query and the body once parsed, before schema validation.
 */
export function installStrictInput(app: FastifyInstance): void {
  // An API route that declares no query takes none: an unknown parameter is refused like an unknown field.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.schema && !route.schema.querystring)
      route.schema = { ...route.schema, querystring: noQuery };
  });
  app.addHook('onRequest', async (req) => {
    const found = [...unsafeTextIn(req.headers, 'header'), ...bodyEncodingProblems(req.headers)];
    if (found.length > 0) throw validationError(found);
  });
  app.addHook('preValidation', async (req) => {
    const found = [
      ...unsafeTextIn(req.params, 'params'),
      ...unsafeTextIn(req.query, 'query'),
      ...unsafeTextIn(req.body, 'body'),
    ];
    if (found.length > 0) throw validationError(found);
  });
}
