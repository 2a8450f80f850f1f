import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { createApiClient } from './client';

type Call = { input: string; init: RequestInit };

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: string, init: RequestInit) => {
    calls.push({ input, init });
    return respond();
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

describe('createApiClient', () => {
  it('GETs JSON from baseUrl + path', async () => {
    const { calls, fetch } = fakeFetch(() => json({ status: 'ok' }));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    await expect(client.get('/api/health')).resolves.toEqual({ status: 'ok' });
    expect(calls[0]?.input).toBe('http://x/api/health');
    expect(calls[0]?.init).toMatchObject({ method: 'GET', headers: { accept: 'application/json' } });
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('POSTs a JSON body', async () => {
    const { calls, fetch } = fakeFetch(() => json({ id: 'r1' }, 201));
    await expect(createApiClient({ fetch }).post('/api/reports', { amount: 5 })).resolves.toEqual({
      id: 'r1',
    });
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: '{"amount":5}',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('resolves undefined for an empty success', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createApiClient({ fetch }).request('/api/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('throws ApiError with the server fields', async () => {
    const { fetch } = fakeFetch(() =>
      json({ error: { code: 'not_found', message: 'no such report', requestId: 'req-7' } }, 404),
    );
    const error = await rejection(createApiClient({ fetch }).get('/api/reports/1'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'no such report',
      requestId: 'req-7',
    });
  });

  it('reads an accepted error status as a regular answer', async () => {
    const { fetch } = fakeFetch(() => json({ status: 'degraded' }, 503));
    const client = createApiClient({ fetch });
    await expect(client.get('/api/health', { acceptStatuses: [503] })).resolves.toEqual({
      status: 'degraded',
    });
    await expect(client.get('/api/health')).rejects.toMatchObject({ status: 503, code: 'http_error' });
  });

  it('throws http_error for a non-JSON failure', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<h1>bad gateway</h1>', { status: 502, headers: { 'x-request-id': 'h1' } }),
    );
    const error = await rejection(createApiClient({ fetch }).get('/api/health'));
    expect(error).toMatchObject({ status: 502, code: 'http_error', requestId: 'h1' });
  });

  it('throws invalid_response when a success is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<!doctype html>', { status: 200 }));
    const error = await rejection(createApiClient({ fetch }).get('/api/health'));
    expect(error).toMatchObject({ status: 200, code: 'invalid_response' });
  });

  it('throws network_error when the request never arrives, but lets aborts through', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    expect(await rejection(createApiClient(down).get('/api/health'))).toMatchObject({
      status: 0,
      code: 'network_error',
      message: 'fetch failed',
    });

    const aborted = fakeFetch(() => Promise.reject(new DOMException('aborted', 'AbortError')));
    const error = await rejection(createApiClient(aborted).get('/api/health'));
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});
