import type { HealthResponse } from '@fanzha/contracts';
import { ApiError } from '@fanzha/contracts/client';
import { api } from './client';

export type Health = HealthResponse;

/** A degraded server answers 503 with a full health body; that is a status to show, not a failure. */
export async function getHealth(signal?: AbortSignal): Promise<Health> {
  const { data, error, response } = await api.raw.GET('/api/health', signal ? { signal } : {});
  if (data) return data;
  if (response.status === 503 && error) return error;
  throw new ApiError({ status: response.status, code: 'http_error', message: `HTTP ${response.status}` });
}
