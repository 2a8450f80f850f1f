import { describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { ApiError } from './api-error';

function fakeFetch(respond: (request: Request) => Response | Promise<Response>) {
  const calls: { request: Request; body: string }[] = [];
  const fetch = async (request: Request) => {
    calls.push({ request, body: await request.clone().text() });
    return respond(request);
  };
  return { calls, fetch };
}

const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const health = { status: 'ok' };

describe('createApiClient', () => {
  it('GETs JSON from baseUrl + path, with query and path parameters filled in', async () => {
    const { calls, fetch } = fakeFetch(() => json({ stopPayments: [] }));
    const client = createApiClient({ baseUrl: 'http://x/', fetch, headers: { authorization: 'Bearer k' } });
    await expect(
      client.GET('/api/stop-payments', { params: { query: { status: 'pending', limit: 5 } } }),
    ).resolves.toEqual({ stopPayments: [] });
    await client.GET('/api/reports/{id}', { params: { path: { id: 'a/b' } } });
    expect(calls[0]?.request.method).toBe('GET');
    expect(calls[0]?.request.url).toBe('http://x/api/stop-payments?status=pending&limit=5');
    expect(calls[0]?.request.headers.get('authorization')).toBe('Bearer k');
    expect(calls[0]?.body).toBe('');
    expect(calls[1]?.request.url).toBe('http://x/api/reports/a%2Fb');
  });

  it('POSTs a JSON body with its headers', async () => {
    const { calls, fetch } = fakeFetch(() => json({ id: 'r1' }, 201));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    await client.POST('/api/stop-payments/{id}/send', {
      params: { path: { id: 'r1' } },
      body: { legalDocNumber: 'L-1' },
      headers: { 'idempotency-key': 'k1' },
    });
    expect(calls[0]?.request.method).toBe('POST');
    expect(calls[0]?.body).toBe('{"legalDocNumber":"L-1"}');
    expect(calls[0]?.request.headers.get('content-type')).toBe('application/json');
    expect(calls[0]?.request.headers.get('idempotency-key')).toBe('k1');
  });

  it('resolves undefined for an empty success', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    await expect(client.POST('/api/auth/sign-out', { body: {} })).resolves.toBeUndefined();
  });

  it('keeps the session cookie outside a browser, and forgets it when the server clears it', async () => {
    const answers = [
      json({}, 200, { 'set-cookie': 'fanzha_session=s1; Path=/; HttpOnly' }),
      json({}),
      json({}, 200, { 'set-cookie': 'fanzha_session=; Path=/; Max-Age=0' }),
      json({}),
    ];
    const { calls, fetch } = fakeFetch(() => answers.shift() ?? json({}));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    for (let i = 0; i < 4; i++) await client.GET('/api/auth/session');
    expect(calls.map((c) => c.request.headers.get('cookie'))).toEqual([
      null,
      'fanzha_session=s1',
      'fanzha_session=s1',
      null,
    ]);
  });

  it('throws ApiError with the server fields', async () => {
    const { fetch } = fakeFetch(() =>
      json({ error: { code: 'not_found', message: 'no such report', requestId: 'req-7' } }, 404),
    );
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    const error = await rejection(client.GET('/api/reports/{id}', { params: { path: { id: '1' } } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'no such report',
      requestId: 'req-7',
    });
  });

  it('leaves an error body to read through the raw client', async () => {
    const { fetch } = fakeFetch(() => json({ ...health, status: 'degraded' }, 503));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    const { data, error, response } = await client.raw.GET('/api/health');
    expect({ data, error, status: response.status }).toEqual({
      data: undefined,
      error: { status: 'degraded' },
      status: 503,
    });
    await expect(client.GET('/api/health')).rejects.toMatchObject({ status: 503, code: 'http_error' });
  });

  it('throws http_error for a non-JSON failure', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<h1>bad gateway</h1>', { status: 502, headers: { 'x-request-id': 'h1' } }),
    );
    const error = await rejection(createApiClient({ baseUrl: 'http://x', fetch }).GET('/api/health'));
    expect(error).toMatchObject({ status: 502, code: 'http_error', requestId: 'h1' });
  });

  it('throws invalid_response when a success is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<!doctype html>', { status: 200 }));
    const error = await rejection(createApiClient({ baseUrl: 'http://x', fetch }).GET('/api/health'));
    expect(error).toMatchObject({ status: 200, code: 'invalid_response' });
  });

  it('throws network_error when the request never arrives, but lets aborts through', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    expect(
      await rejection(createApiClient({ baseUrl: 'http://x', ...down }).GET('/api/health')),
    ).toMatchObject({ status: 0, code: 'network_error', message: 'fetch failed' });

    const aborted = fakeFetch(() => Promise.reject(new DOMException('aborted', 'AbortError')));
    const error = await rejection(createApiClient({ baseUrl: 'http://x', ...aborted }).GET('/api/health'));
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('lets middleware see each answer', async () => {
    const { fetch } = fakeFetch(() => json(health));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    const seen: string[] = [];
    client.use({
      onResponse: ({ request, response }) => void seen.push(`${request.url} ${response.status}`),
    });
    await client.GET('/api/health');
    expect(seen).toEqual(['http://x/api/health 200']);
  });
});
