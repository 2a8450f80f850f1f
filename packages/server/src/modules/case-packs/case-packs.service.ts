import type { AllocationRule, CasePackFormat } from '@fanzha/contracts';
import { createHash } from 'node:crypto';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import { appendAudit, auditEntry } from '../audit/index';
import type { CasePackFacts } from './case-packs.facts';
import { casePackPdf } from './case-packs.pdf';
import { casePackXlsx } from './case-packs.xlsx';

/**
 * Where a case pack's facts come from, each through the owning module's exported service: the cluster's
 * profile and reports (case linking), the money traced from its reports (the money graph) and the
 * measures taken on the accounts (stop-payment and freezes). `cluster` answers null for a cluster the actor
 * may not see or that does not exist.
 */
export interface CasePackSources {
  cluster(actor: Actor, id: string): Promise<Pick<CasePackFacts, 'cluster' | 'reports'> | null>;
  trace(
    actor: Actor,
    reports: CasePackFacts['reports'],
    rule: AllocationRule,
  ): Promise<Pick<CasePackFacts, 'accounts' | 'transfers' | 'sources' | 'isTruncated'>>;
  measures(actor: Actor, reportIds: string[]): Promise<CasePackFacts['measures']>;
}

export interface CasePackDeps {
  db: Kysely<DB>;
  clock: Clock;
  sources: CasePackSources;
}

export const CASE_PACK_CONTENT_TYPES: Record<CasePackFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** A filename both old and new clients read: ASCII fallback and the Chinese name (RFC 6266 / 5987). */
const disposition = (ascii: string, name: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function createCasePacks(deps: CasePackDeps) {
  async function facts(actor: Actor, id: string, rule: AllocationRule): Promise<CasePackFacts> {
    const cluster = await deps.sources.cluster(actor, id);
    if (!cluster) throw new AppError('not_found', 'No such cluster');
    const [traced, measures] = await Promise.all([
      deps.sources.trace(actor, cluster.reports, rule),
      deps.sources.measures(
        actor,
        cluster.reports.map((r) => r.id),
      ),
    ]);
    // The trace knows accounts by number; the banks' answers name their holders.
    const holders = new Map(measures.map((m) => [m.account.key, m.account.holder]));
    const accounts = traced.accounts.map((a) => ({ ...a, holder: a.holder ?? holders.get(a.key) ?? null }));
    return { ...cluster, ...traced, accounts, measures, rule, generatedAt: deps.clock.now() };
  }

  return {
    facts,

    /**
     * The pack's workbook or PDF, built from the facts as they are now. Every export is audited
     * (`case-pack.export`): the pack carries full account numbers and victims' losses out of the system.
     */
    async file(
      ctx: { actor: Actor; requestId: string },
      id: string,
      format: CasePackFormat,
      rule: AllocationRule,
    ): Promise<{ bytes: Buffer; contentType: string; disposition: string; sha256: Buffer }> {
      const f = await facts(ctx.actor, id, rule);
      const bytes = format === 'xlsx' ? await casePackXlsx(f) : await casePackPdf(f);
      // The file's fingerprint in the audit entry: whoever holds a pack can check it is the one exported,
      // unchanged (`sha256sum`), and find who exported it and when. Two exports are never the same bytes.
      const sha256 = createHash('sha256').update(bytes).digest();
      await appendAudit(
        deps.db,
        auditEntry(
          { at: f.generatedAt, requestId: ctx.requestId, actor: ctx.actor },
          {
            action: 'case-pack.export',
            objectType: 'cluster',
            objectId: id,
            result: 'success',
            details: {
              format,
              rule,
              reports: f.reports.length,
              accounts: f.accounts.length,
              bytes: bytes.length,
              sha256: sha256.toString('hex'),
            },
          },
        ),
      );
      const ascii = `case-pack-${f.cluster.id}.${format}`;
      return {
        bytes,
        contentType: CASE_PACK_CONTENT_TYPES[format],
        disposition: disposition(ascii, `串并案件材料包-${f.cluster.label}.${format}`),
        sha256,
      };
    },
  };
}
export type CasePacks = ReturnType<typeof createCasePacks>;
