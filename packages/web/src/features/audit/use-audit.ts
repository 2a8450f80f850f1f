import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { auditQuery, type AuditPageQuery } from './audit-query';

export function useAuditEntries(query: AuditPageQuery) {
  return useQuery({
    queryKey: ['/api/audit', query],
    queryFn: ({ signal }) => api.GET('/api/audit', { params: { query: auditQuery(query) }, signal }),
    // The table keeps the previous page while the next one loads, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

/** Verifying reads the whole chain: only when the auditor asks, never on focus or mount. */
export function useAuditVerification() {
  return useQuery({
    queryKey: ['/api/audit/verify'],
    queryFn: ({ signal }) => api.GET('/api/audit/verify', { signal }),
    enabled: false,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
