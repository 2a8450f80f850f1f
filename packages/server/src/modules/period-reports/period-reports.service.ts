import { randomUUID } from 'node:crypto';
import type {
  GeneratePeriodReportRequest,
  PeriodKind,
  PeriodReportDetail,
  PeriodReportFigures,
  PeriodReportView,
  ReportFormat,
} from '@fanzha/contracts';
import { countyLabel, validateCountyCode, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { periodFigures } from './period-reports.figures';
import { periodReportRepository as repo, type PeriodReportRow } from './period-reports.repository';
import { chinaDay, duePeriods, EARLIEST_DAY, periodOf, periodTitle, type Period } from './period';

const CENTRE = '贵州省反诈中心';
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

type Ctx = AuditContext & { at: Date; actor: Actor };

const scopeName = (county: string | null) => (county === null ? CENTRE : (countyLabel(county) ?? county));

function view(r: PeriodReportRow): PeriodReportView {
  const p = periodOf(r.kind, r.period_from);
  return {
    id: r.id,
    kind: r.kind,
    from: r.period_from,
    to: r.period_to,
    county: r.county_code,
    title: periodTitle(p, scopeName(r.county_code)),
    origin: r.origin,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    xlsxBytes: r.xlsx_bytes,
    pdfBytes: r.pdf_bytes,
  };
}

/** County police see and make their own county's reports only; the supervisor and analysts any. */
function scopeFor(actor: Actor, county: string | undefined | null): string | null {
  if (actor.role !== 'county_police') return county ?? null;
  if (county && county !== actor.countyCode)
    throw new AppError('forbidden', 'Only your own county’s reports');
  if (!actor.countyCode) throw new AppError('forbidden', 'Your account is bound to no county');
  return actor.countyCode;
}

/** A filename both old and new clients read: ASCII fallback and the Chinese name (RFC 6266 / 5987). */
export function contentDisposition(ascii: string, name: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Builds the figures and both files of one period and scope, as of `at`. */
export async function renderReport(db: Kysely<DB>, p: Period, county: string | null, at: Date) {
  const figures = await periodFigures(db, p, county, at);
  const meta = {
    title: periodTitle(p, scopeName(county)),
    from: p.fromDay,
    lastDay: p.lastDay,
    scope: scopeName(county),
    createdAt: at,
  };
  // exceljs and pdfkit load on the first report, not at every process's start.
  const [{ reportXlsx }, { reportPdf }] = await Promise.all([
    import('./period-reports.xlsx'),
    import('./period-reports.pdf'),
  ]);
  const [xlsx, pdf] = await Promise.all([reportXlsx(figures, meta), reportPdf(figures, meta)]);
  return { figures, xlsx, pdf };
}

export function createPeriodReports(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db } = deps;

  async function store(p: Period, county: string | null, origin: 'schedule' | 'demand', at: Date, ctx?: Ctx) {
    const { figures, xlsx, pdf } = await renderReport(db, p, county, at);
    const id = randomUUID();
    return db.transaction().execute(async (trx) => {
      const isNew = await repo.insert(trx, {
        id,
        kind: p.kind,
        period_from: p.fromDay,
        period_to: p.toDay,
        county_code: county,
        origin,
        figures: JSON.stringify(figures),
        xlsx,
        pdf,
        created_at: at,
        created_by: ctx?.actor.username ?? null,
      });
      if (!isNew) return undefined;
      await appendAudit(
        trx,
        ctx
          ? auditEntry(ctx, {
              action: 'period-report.generate',
              objectType: 'period_report',
              objectId: id,
              result: 'success',
              details: { kind: p.kind, from: p.fromDay, county },
            })
          : {
              at,
              action: 'period-report.schedule',
              objectType: 'period_report',
              objectId: id,
              result: 'success',
              details: { kind: p.kind, from: p.fromDay, county },
            },
      );
      return id;
    });
  }

  async function detail(id: string): Promise<PeriodReportDetail | undefined> {
    const r = await repo.byId(db, id);
    return r && { ...view(r), figures: r.figures as PeriodReportFigures };
  }

  return {
    async generate(ctx: Ctx, req: GeneratePeriodReportRequest): Promise<PeriodReportDetail> {
      if (req.county !== undefined) {
        const known = validateCountyCode(req.county);
        if (!known.ok)
          throw validationError([{ field: 'body.county', reason: known.reason, message: known.message }]);
      }
      const county = scopeFor(ctx.actor, req.county);
      if (req.date > chinaDay(ctx.at))
        throw validationError([
          { field: 'body.date', reason: 'future', message: 'The day has not begun yet (China time)' },
        ]);
      if (req.date < EARLIEST_DAY)
        throw validationError([
          {
            field: 'body.date',
            reason: 'too_early',
            message: `The first day a report covers is ${EARLIEST_DAY}`,
          },
        ]);
      const id = await store(periodOf(req.kind, req.date), county, 'demand', ctx.at, ctx);
      return (await detail(id!))!;
    },

    async list(
      actor: Actor,
      q: { kind?: PeriodKind | undefined; county?: string | undefined; limit: number },
    ) {
      const county = actor.role === 'county_police' ? scopeFor(actor, q.county) : q.county;
      return (await repo.list(db, { kind: q.kind, county, limit: q.limit })).map(view);
    },

    async get(actor: Actor, id: string): Promise<PeriodReportDetail> {
      const d = await detail(id);
      if (!d || (actor.role === 'county_police' && d.county !== actor.countyCode))
        throw new AppError('not_found', 'No such report');
      return d;
    },

    async file(actor: Actor, id: string, format: ReportFormat) {
      const d = await this.get(actor, id);
      const f = await repo.file(db, id, format);
      if (!f) throw new AppError('not_found', 'No such report');
      const ascii = `fanzha-${d.kind}-${d.from}${d.county ? `-${d.county}` : ''}.${format}`;
      return {
        bytes: Buffer.from(f.bytes),
        contentType: CONTENT_TYPES[format],
        disposition: contentDisposition(ascii, `${d.title}.${format}`),
      };
    },

    /**
     * The worker's round: for each period that ended (yesterday; last week on Mondays; last month on the
     * 1st, China time) the centre's report and one per county with reports in it, each once.
     */
    async runSchedule(now: Date = deps.clock.now()): Promise<number> {
      let made = 0;
      for (const p of duePeriods(now)) {
        if (!(await repo.isScheduled(db, p.kind, p.fromDay, null)) && (await store(p, null, 'schedule', now)))
          made++;
        const { counties } = await periodFigures(db, p, null, now);
        for (const c of counties) {
          if (c.code === '' || (await repo.isScheduled(db, p.kind, p.fromDay, c.code))) continue;
          if (await store(p, c.code, 'schedule', now)) made++;
        }
      }
      return made;
    },
  };
}
export type PeriodReports = ReturnType<typeof createPeriodReports>;
