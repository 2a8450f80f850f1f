import type { AuditList, AuditVerification } from '@fanzha/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { auditSearch, type AuditPageQuery } from './audit-query';

export function useAuditEntries(query: AuditPageQuery) {
  return useQuery({
    queryKey: ['/api/audit', query],
    queryFn: ({ signal }) => api.get<AuditList>(`/api/audit${auditSearch(query)}`, { signal }),
    // The table keeps the previous page while the next one loads, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

/** Verifying reads the whole chain: only when the auditor asks, never on focus or mount. */
export function useAuditVerification() {
  return useQuery({
    queryKey: ['/api/audit/verify'],
    queryFn: ({ signal }) => api.get<AuditVerification>('/api/audit/verify', { signal }),
    enabled: false,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
