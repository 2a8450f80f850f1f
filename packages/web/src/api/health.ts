import type { HealthResponse } from '@fanzha/contracts';
import { api } from './client';

export type Health = HealthResponse;

/** A degraded server answers 503 with a full health body; that is a status to show, not a failure. */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return api.get<Health>('/api/health', { acceptStatuses: [503], ...(signal ? { signal } : {}) });
}
