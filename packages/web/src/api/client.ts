import { ApiError, toApiError, type ClientErrorCode } from './api-error';
import { sessionSignals } from './session-signals';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Error statuses whose body is still a regular answer (health says `degraded` with a 503). */
  acceptStatuses?: readonly number[];
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  put<T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const clientError = (code: ClientErrorCode, message: string, status = 0, details?: unknown) =>
  new ApiError({ status, code, message, details });

export function createApiClient(
  config: {
    baseUrl?: string;
    fetch?: Fetch;
    /** Sees every answer before it is read (the session's signals). */
    observe?: (path: string, response: Response) => void;
  } = {},
): ApiClient {
  const baseUrl = config.baseUrl ?? '';
  // Wrapped so the browser's fetch is never called with a foreign `this` ("Illegal invocation").
  const doFetch: Fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    // The session cookie goes with same-origin calls only; never to another origin.
    const init: RequestInit = { method: options.method ?? 'GET', headers, credentials: 'same-origin' };
    if (options.signal) init.signal = options.signal;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }

    let response: Response;
    try {
      response = await doFetch(baseUrl + path, init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw clientError('network_error', error instanceof Error ? error.message : String(error));
    }

    config.observe?.(path, response);
    const parsed = parseJson(await response.text());
    if (!response.ok && !options.acceptStatuses?.includes(response.status)) {
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const meta = { status: response.status, statusText: response.statusText, requestId };
      throw toApiError(meta, parsed.ok ? parsed.value : undefined);
    }
    if (!parsed.ok) {
      throw clientError('invalid_response', `${path} did not answer with JSON`, response.status);
    }
    return parsed.value as T;
  }

  return {
    request,
    get: (path, options) => request(path, { ...options, method: 'GET' }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
    put: (path, body, options) => request(path, { ...options, method: 'PUT', body }),
  };
}

/** Same-origin client: the server (or Vite's proxy in development) serves both the app and `/api`. */
export const api = createApiClient({ observe: (path, response) => sessionSignals.observe(path, response) });
