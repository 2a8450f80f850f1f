import { AuditList, AuditListQuery, AuditVerification, ErrorBody } from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { listAudit, verifyAudit } from './audit.repository';

const auditorOnly = { access: 'roles', roles: ['auditor'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export function auditRoutes(deps: { db: Kysely<DB> }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/audit',
      {
        config: { policy: auditorOnly },
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, newest first',
          querystring: AuditListQuery,
          response: { 200: AuditList, ...errors },
        },
      },
      async (req) => ({ entries: await listAudit(deps.db, req.query) }),
    );
    app.get(
      '/api/audit/verify',
      {
        config: { policy: auditorOnly },
        schema: {
          tags: ['audit'],
          summary: 'Check the hash chain',
          description:
            'Recomputes every hash; names the first entry where an edit, deletion or reordering breaks the chain.',
          response: { 200: AuditVerification, ...errors },
        },
      },
      async () => verifyAudit(deps.db),
    );
  };
}
