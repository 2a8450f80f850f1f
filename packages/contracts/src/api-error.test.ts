import { describe, expect, it } from 'vitest';
import { ApiError, isApiErrorBody, toApiError } from './api-error';

const body = {
  error: { code: 'validation_failed', message: 'amount: must be positive', details: [1], requestId: 'req-1' },
};

describe('isApiErrorBody', () => {
  it('accepts the server error shape, with or without details', () => {
    expect(isApiErrorBody(body)).toBe(true);
    expect(isApiErrorBody({ error: { code: 'x', message: 'm', requestId: 'r' } })).toBe(true);
  });

  it('rejects anything else', () => {
    for (const value of [
      null,
      'oops',
      {},
      { error: 'x' },
      { error: { code: 'x', message: 'm' } },
      { error: { code: 1, message: 'm', requestId: 'r' } },
    ]) {
      expect(isApiErrorBody(value)).toBe(false);
    }
  });
});

describe('toApiError', () => {
  it('copies the server fields', () => {
    const error = toApiError({ status: 422, statusText: 'Unprocessable Entity' }, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 422,
      code: 'validation_failed',
      message: 'amount: must be positive',
      details: [1],
      requestId: 'req-1',
    });
  });

  it('makes a readable error from a foreign body, keeping the header request id', () => {
    const error = toApiError({ status: 502, statusText: 'Bad Gateway', requestId: 'hdr-9' }, '<html>');
    expect(error).toMatchObject({
      status: 502,
      code: 'http_error',
      message: 'HTTP 502 Bad Gateway',
      details: '<html>',
      requestId: 'hdr-9',
    });
  });
});
