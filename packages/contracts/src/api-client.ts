import createClient, {
  type Client,
  type FetchResponse,
  type MaybeOptionalInit,
  type Middleware,
} from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import { ApiError, isAbortError, toApiError } from './api-error';
import type { paths } from './generated/api';

export interface ApiClientOptions {
  /** Where the API is, e.g. `https://fanzha.example`; `''` for the page's own origin. */
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Sent with every call (a bank system's `authorization`, say). */
  headers?: Record<string, string>;
}

type InitParam<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];
/** The success body of one operation (`undefined` for a 204). */
type Answer<Operation, Init> =
  Operation extends Record<string | number, unknown>
    ? Extract<FetchResponse<Operation, Init, MediaType>, { data: unknown }>['data'] extends infer Data
      ? [Data] extends [never]
        ? undefined
        : Data
      : never
    : never;
type CallMethod<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<Answer<paths[Path][Method], Init>>;

/**
 * The typed client: paths, parameters, bodies and answers come from the generated OpenAPI types, so a
 * changed contract breaks the build of every caller. Each method resolves to the success body and throws
 * an {@link ApiError} for anything else.
 */
export interface ApiClient {
  GET: CallMethod<'get'>;
  POST: CallMethod<'post'>;
  PUT: CallMethod<'put'>;
  DELETE: CallMethod<'delete'>;
  PATCH: CallMethod<'patch'>;
  /** openapi-fetch's own client (answers as `{ data, error, response }`), for a call that reads an error body. */
  raw: Client<paths>;
  /** Sees each request and answer (openapi-fetch middleware). */
  use(...middleware: Middleware[]): void;
}

type RawCall = (
  method: HttpMethod,
  url: string,
  init?: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function createApiClient(options: ApiClientOptions): ApiClient {
  // Wrapped so the browser's fetch is never called with a foreign `this` ("Illegal invocation").
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const raw = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    fetch: async (request) => {
      try {
        return await send(request);
      } catch (error) {
        if (isAbortError(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new ApiError({ status: 0, code: 'network_error', message });
      }
    },
  });
  // Outside a browser nobody keeps the session cookie: the client does (one session per client).
  if (typeof document === 'undefined') raw.use(cookieJar());

  const request = raw.request as unknown as RawCall;
  const call =
    (method: HttpMethod) =>
    async (url: string, init?: Record<string, unknown>): Promise<unknown> => {
      // Read as text and parsed here, so that a success that is not JSON says so with its status.
      const { data, error, response } = await request(method, url, { parseAs: 'text', ...init });
      if (!response.ok) {
        const requestId = response.headers.get('x-request-id') ?? undefined;
        throw toApiError({ status: response.status, statusText: response.statusText, requestId }, error);
      }
      if (typeof data !== 'string' || data === '') return data === '' ? undefined : data;
      try {
        return JSON.parse(data) as unknown;
      } catch {
        throw new ApiError({
          status: response.status,
          code: 'invalid_response',
          message: `${method.toUpperCase()} ${url} did not answer with JSON`,
        });
      }
    };

  return {
    GET: call('get') as ApiClient['GET'],
    POST: call('post') as ApiClient['POST'],
    PUT: call('put') as ApiClient['PUT'],
    DELETE: call('delete') as ApiClient['DELETE'],
    PATCH: call('patch') as ApiClient['PATCH'],
    raw,
    use: (...middleware) => raw.use(...middleware),
  };
}

function cookieJar(): Middleware {
  let session: string | undefined;
  return {
    onRequest({ request }) {
      if (session && !request.headers.has('cookie')) request.headers.set('cookie', session);
    },
    onResponse({ response }) {
      const cookie = response.headers.get('set-cookie')?.match(/fanzha_session=[^;]*/)?.[0];
      if (cookie) session = cookie.endsWith('=') ? undefined : cookie;
    },
  };
}
