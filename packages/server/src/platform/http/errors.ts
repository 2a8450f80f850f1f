import type { ErrorBody, ErrorCode, FieldProblem } from '@fanzha/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The error services throw: a stable code, a message for people, and field problems for validation. */
export class AppError extends Error {
  /** Seconds to wait before trying again, sent as `Retry-After` (with `rate_limited`). */
  retryAfterS: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return statusOf[this.code];
  }
}

const summaryOf = (details: FieldProblem[]) =>
  `Request is invalid: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`;

/** Too many attempts: a 429 that tells the client when to try again. */
export function rateLimited(message: string, retryAfterS: number): AppError {
  const error = new AppError('rate_limited', message);
  error.retryAfterS = Math.max(1, Math.ceil(retryAfterS));
  return error;
}

export function validationError(details: FieldProblem[]): AppError {
  return new AppError('validation_failed', summaryOf(details), details);
}

/** Fastify's names of the parts of a request, as field paths name them (`query.limit`, `header.…`). */
const contextNames: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'header',
};

/**
 * Fastify's refusals of a body it could not read, in fanzha's words: a stable reason a client can test
 * (not Fastify's internal error names), and the same field and reason the sign-in policy gives a body
 * that is not JSON.
 */
const bodyProblems: Record<string, FieldProblem> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    field: 'body',
    reason: 'invalid_json',
    message: 'is not valid JSON (or holds a key named __proto__ or constructor.prototype)',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    field: 'body',
    reason: 'empty',
    message: 'is empty, but content-type says application/json',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    field: 'header.content-type',
    reason: 'unsupported',
    message: 'must be application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    field: 'header.content-length',
    reason: 'invalid',
    message: 'does not match the length of the body',
  },
};

export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: FieldProblem[],
): ErrorBody {
  return { error: { code, message, requestId, ...(details ? { details } : {}) } };
}

/** The one error handler: maps every failure to the error body, and never leaks a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const send = (code: ErrorCode, message: string, details?: FieldProblem[]) =>
      reply.status(statusOf[code]).send(errorBody(code, message, req.id, details));

    if (err instanceof AppError) {
      if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
      return send(err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = contextNames[err.validationContext ?? 'body'] ?? 'body';
      const details = err.validation.flatMap((v): FieldProblem[] => {
        const at = [context, ...String(v.instancePath).split('/').filter(Boolean)];
        // zod reports all unknown keys of one object in one issue; a client needs the place of each.
        const keys = (v.params as { keys?: unknown }).keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys))
          return keys.map((key) => ({
            field: [...at, String(key)].join('.'),
            reason: 'unrecognized_keys',
            message: 'is not a field of this request',
          }));
        return [{ field: at.join('.'), reason: v.keyword, message: v.message ?? 'invalid' }];
      });
      return send('validation_failed', summaryOf(details), details);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its contract');
      return send('internal', 'Internal error');
    }
    // PostgreSQL refused this request's transaction for a race another request won — a unique key taken
    // meanwhile, or a deadlock or serialization failure it broke —: nothing of it was kept, and sending the
    // same request again is answered as if it came second. Logged, as each is worth knowing about.
    const sqlState = (err as { code?: unknown }).code;
    if (sqlState === '23505' || sqlState === '40P01' || sqlState === '40001') {
      req.log.warn({ err }, 'transaction lost a race: answered as retryable');
      void reply.header('retry-after', '1');
      return sqlState === '23505'
        ? send('conflict', 'Another request changed the same thing at the same moment: send it again')
        : send('unavailable', 'The database was busy with the same rows: send it again');
    }
    // Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status.
    const status = err.statusCode ?? 500;
    if (status === 413) return send('payload_too_large', 'Request body is too large');
    if (status >= 400 && status < 500) {
      const problem = bodyProblems[err.code] ?? {
        field: 'body',
        reason: 'bad_request',
        message: err.message,
      };
      return send('validation_failed', summaryOf([problem]), [problem]);
    }
    req.log.error({ err }, 'unhandled error');
    return send('internal', 'Internal error');
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(errorBody('not_found', `No route ${req.method} ${req.url.split('?')[0]}`, req.id));
  });
}

/**
 * Errors of the router itself, before any route is found: a path that is not valid percent-encoding, or
 * a path parameter over the router's limit. Fastify answers them in its own body, without a request id,
 * unless given this.
 */
export function answerRouterError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const isTooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const problem: FieldProblem = isTooLong
    ? { field: 'params', reason: 'too_long', message: 'a path parameter is too long' }
    : { field: 'path', reason: 'invalid_encoding', message: 'the path is not valid percent-encoding' };
  void reply
    .status(400)
    .header('x-request-id', req.id)
    .send(
      errorBody('validation_failed', `Request is invalid: ${problem.field}: ${problem.message}`, req.id, [
        problem,
      ]),
    );
}
