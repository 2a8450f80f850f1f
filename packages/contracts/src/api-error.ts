import type { ErrorCode } from './errors';

/** The one error body the server sends for every failure, as a client reads it. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

/** Codes the client gives when it never got the server's error body to read. */
export type ClientErrorCode = 'network_error' | 'http_error' | 'invalid_response';

/** A newer server may send a code this build does not know yet; it passes through unchanged. */
export type ApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

/** A failed call to fanzha: the server's error body, or what the client saw instead of one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the request never reached the server. */
  readonly status: number;
  readonly code: ApiErrorCode;
  /** For `validation_failed`, the field problems; for a foreign body, that body. */
  readonly details: unknown;
  /** Quote it when reporting a problem: it finds the server's log line. */
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    message: string;
    details?: unknown;
    requestId?: string | undefined;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string' &&
    'requestId' in error &&
    typeof error.requestId === 'string'
  );
}

/**
 * Turns a failed answer into an ApiError. A proxy or a crashed server may answer with HTML or nothing at
 * all, so anything that is not the server's body still becomes a readable error.
 */
export function toApiError(
  response: { status: number; statusText: string; requestId?: string | undefined },
  body: unknown,
): ApiError {
  if (isApiErrorBody(body)) {
    const { code, message, details, requestId } = body.error;
    return new ApiError({ status: response.status, code, message, details, requestId });
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError({
    status: response.status,
    code: 'http_error' satisfies ClientErrorCode,
    message: `HTTP ${response.status}${reason}`,
    details: body,
    requestId: response.requestId,
  });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
