import type { ErrorBody, ErrorCode, FieldProblem } from './errors';
import type { HealthResponse } from './health';

/** An error answer from fanzha, with its stable code, field problems and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly requestId: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

/**
 * The typed client that outsiders (CLI, simulator, e2e tests, integrators in TypeScript) use. Request and
 * response types are the contract schemas' own types, so a changed contract breaks their build.
 */
export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const e = (json as ErrorBody | undefined)?.error;
      throw new ApiError(
        res.status,
        e?.code ?? 'internal',
        e?.message ?? res.statusText,
        e?.requestId ?? '',
        e?.details,
      );
    }
    return json as T;
  }

  return {
    request,
    health: () => request<HealthResponse>('GET', '/api/health'),
  };
}
export type Client = ReturnType<typeof createClient>;
