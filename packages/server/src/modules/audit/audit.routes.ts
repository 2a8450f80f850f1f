import {
  AuditCheckpointKeys,
  AuditCheckpointList,
  AuditCheckpointQuery,
  AuditList,
  AuditListQuery,
  AuditVerification,
  ErrorBody,
} from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import type { Signer } from '../../platform/crypto/signer';
import { listAudit, verifyAudit } from './audit.repository';
import { listCheckpointKeys, listCheckpoints } from './audit-checkpoints.repository';

const auditorOnly = { access: 'roles', roles: ['auditor'] } as const;
const auditorOrAdmin = { access: 'roles', roles: ['auditor', 'admin'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export function auditRoutes(deps: {
  db: Kysely<DB>;
  /** Signs the chain's checkpoints; only its public half is served here. */
  checkpointSigner: Pick<Signer, 'algorithm' | 'keyId' | 'publicKeyPem'>;
}): FastifyPluginAsyncZod {
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
    app.get(
      '/api/audit/checkpoints',
      {
        config: { policy: auditorOrAdmin },
        schema: {
          tags: ['audit'],
          summary: 'Signed checkpoints of the hash chain, oldest first',
          description:
            'Each signs the chain’s head at a moment with the checkpoint key. Keep them (and the public key) outside fanzha: `fanzha audit verify --checkpoints FILE` then tells whether the trail still reaches every signed head.',
          querystring: AuditCheckpointQuery,
          response: { 200: AuditCheckpointList, ...errors },
        },
      },
      async (req) => {
        const afterSeq = req.query.after === undefined ? undefined : Number(req.query.after);
        const page = await listCheckpoints(deps.db, { afterSeq, limit: req.query.limit + 1 });
        const checkpoints = page.slice(0, req.query.limit);
        const last = checkpoints.at(-1);
        return {
          checkpoints,
          nextCursor: last ? String(last.seq) : (req.query.after ?? null),
          hasMore: page.length > req.query.limit,
        };
      },
    );
    app.get(
      '/api/audit/checkpoints/keys',
      {
        config: { policy: auditorOrAdmin },
        schema: {
          tags: ['audit'],
          summary: 'The public keys of the audit checkpoints',
          description:
            'The key this server signs checkpoints with now (derived from its secret key, apart from the instruction-signing key), and every key that signed a stored checkpoint. Compare the current key with the one kept from earlier: a key in the list that this server never published is a forgery.',
          response: { 200: AuditCheckpointKeys, ...errors },
        },
      },
      async () => ({
        current: {
          keyId: deps.checkpointSigner.keyId,
          algorithm: deps.checkpointSigner.algorithm,
          publicKeyPem: deps.checkpointSigner.publicKeyPem,
        },
        keys: await listCheckpointKeys(deps.db),
      }),
    );
  };
}
