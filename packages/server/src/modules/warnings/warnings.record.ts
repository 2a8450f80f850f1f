import { randomUUID } from 'node:crypto';
import {
  contactCountWithin24h,
  gradeWarning,
  mergeWarning,
  raiseLadderGrade,
  startLadder,
  type Clock,
  type Episode,
  type LadderState,
  type RandomBytes,
  type ScreeningHit,
} from '@fanzha/domain';
import type { Insertable, Transaction } from 'kysely';
import type { DB, EpisodeContactTable, EpisodeTable, EpisodeWarningTable } from '../../db/schema';
import { AppError } from '../../platform/http/errors';
import { changeOf, contactsFor, emitEpisodes, rowAfter } from './warnings.effects';
import { ladderFromJson, ladderToJson, nextTimerAt, unrecordable } from './warnings.ladder';
import { warningsRepository as repo, type EpisodeChange, type EpisodeRow } from './warnings.repository';
import { routeEpisode } from './warnings.views';

type Trx = Transaction<DB>;
const DAY = 86_400_000;

/** What one call did: for the screening worker's counters. */
export interface RecordResult {
  /** Warnings listed (new signals). */
  listed: number;
  /** Signals already listed (a redelivery): nothing changed for them. */
  redelivered: number;
  opened: number;
  /** Hits that name no person (neither phone nor ID number) or are malformed (`unrecordable`): skipped. */
  skipped: number;
  /** The indicator of each warning listed (once per warning): what the indicators' hit counts add. */
  listedIndicatorIds: number[];
}

/** An episode as the merge sees it: the row (if it exists), the domain's episode and its ladder. */
interface Working {
  id: string;
  row: EpisodeRow | undefined;
  episode: Episode;
  ladder: LadderState;
  name: string | null;
  countyCode: string | null;
  routedBy: 'signal' | 'id_number' | 'centre';
  warningCount: number;
  changes: Set<string>;
  addsPerson: boolean;
  contacts: Array<Insertable<EpisodeContactTable>>;
}

const signalKey = (h: { source: string; signalId: string }) => `${h.source}\0${h.signalId}`;

/**
 * Records screened hits in the caller's transaction (the one that acknowledges the signal batch): each is
 * graded, merged into its person's one open episode (same phone or ID number) or opens one — routed to a
 * county and started on the persuasion ladder — and listed with a unique (source, signal id), so that a
 * redelivered batch warns nobody twice. A fixed number of statements whatever the number of hits. If
 * another process listed one of these signals or opened an episode for one of these people at the same
 * moment, the unique keys refuse this transaction (it throws): the batch is not acknowledged, comes again,
 * and then merges.
 */
export function createHitRecorder(deps: { clock: Clock; random: RandomBytes }) {
  return async function recordHits(trx: Trx, hits: readonly ScreeningHit[]): Promise<RecordResult> {
    const now = deps.clock.now();
    const result: RecordResult = { listed: 0, redelivered: 0, opened: 0, skipped: 0, listedIndicatorIds: [] };
    const seen = new Set<string>();
    const named = hits.filter((h) => {
      if (unrecordable(h) !== null) {
        result.skipped++;
        return false;
      }
      if (seen.has(signalKey(h))) {
        result.redelivered++;
        return false;
      }
      seen.add(signalKey(h));
      return true;
    });
    if (named.length === 0) return result;

    const listed = await repo.listedSignals(trx, named);
    const fresh = named.filter((h) => !listed.has(signalKey(h)));
    result.redelivered += named.length - fresh.length;
    if (fresh.length === 0) return result;

    const open = await repo.lockOpenByPerson(
      trx,
      fresh.map((h) => h.person),
    );
    const earliest = Math.min(...fresh.map((h) => Date.parse(h.at)));
    const recent = await repo.recentWarnings(
      trx,
      open.map((r) => r.id),
      new Date(earliest - DAY),
    );

    const byPhone = new Map<string, Working>();
    const byIdNumber = new Map<string, Working>();
    const all: Working[] = [];
    const register = (w: Working) => {
      if (w.episode.person.phone) byPhone.set(w.episode.person.phone, w);
      if (w.episode.person.idNumber) byIdNumber.set(w.episode.person.idNumber.toUpperCase(), w);
    };
    for (const row of open) {
      const w: Working = {
        id: row.id,
        row,
        episode: {
          person: { phone: row.person_phone, idNumber: row.person_id_number },
          grade: row.grade,
          openedAt: row.opened_at,
          lastWarningAt: row.last_warning_at,
          warnings: recent
            .filter((r) => r.episode_id === row.id)
            .map((r) => ({
              signalKey: signalKey({ source: r.source, signalId: r.signal_id }),
              indicatorId: r.indicator_id ?? 0,
              signalKind: r.signal_kind as ScreeningHit['signalKind'],
              grade: r.grade,
              at: r.signal_at,
            })),
          isOpen: true,
        },
        ladder: ladderFromJson(row.ladder),
        name: row.person_name,
        countyCode: row.county_code,
        routedBy: row.routed_by,
        warningCount: row.warning_count,
        changes: new Set(),
        addsPerson: false,
        contacts: [],
      };
      all.push(w);
      register(w);
    }

    const warnings: Array<Insertable<EpisodeWarningTable>> = [];
    for (const hit of fresh) {
      const at = new Date(hit.at);
      const phone = hit.person.phone;
      const idNumber = hit.person.idNumber?.toUpperCase() ?? null;
      const found = (phone && byPhone.get(phone)) || (idNumber && byIdNumber.get(idNumber)) || undefined;
      const grading = gradeWarning({
        signalKind: hit.signalKind,
        isTransferToKnownAccount: hit.signalKind === 'bank_transfer' && hit.indicator?.kind === 'account',
        indicator: {
          reportCount: hit.indicator?.reportCount ?? 0,
          lossFen: hit.indicator?.lossFen ?? 0,
          lastReportedAt: hit.indicator?.lastReportedAt ? new Date(hit.indicator.lastReportedAt) : null,
        },
        amountFen: hit.amountFen,
        contactCount: contactCountWithin24h(found?.episode, at),
        personIdNumber: idNumber,
        upstreamGrade: hit.upstreamGrade,
        at,
      });
      const entry = {
        signalKey: signalKey(hit),
        indicatorId: hit.indicator?.id ?? 0,
        signalKind: hit.signalKind,
        grade: grading.grade,
        at,
      };
      // An ID number another open episode already holds stays with that one (its person may differ).
      const person = {
        phone,
        idNumber:
          idNumber && byIdNumber.get(idNumber) && byIdNumber.get(idNumber) !== found ? null : idNumber,
      };
      const merged = mergeWarning(found?.episode, person, entry);
      let w: Working;
      if (merged.kind === 'duplicate') continue;
      if (merged.kind === 'opened') {
        const route = routeEpisode({ countyCode: hit.person.countyCode, idNumber }, now);
        const started = startLadder(grading.grade, now);
        w = {
          id: randomUUID(),
          row: undefined,
          episode: merged.episode,
          ladder: started.state,
          name: hit.person.name,
          ...route,
          warningCount: 1,
          changes: new Set(['opened']),
          addsPerson: false,
          contacts: [],
        };
        w.contacts.push(...contactsFor(w.id, started.state, started.actions, now, deps.random));
        all.push(w);
        result.opened++;
      } else {
        w = found!;
        const addsId = w.episode.person.idNumber === null && merged.episode.person.idNumber !== null;
        const addsName = w.name === null && hit.person.name !== null;
        w.episode = merged.episode;
        w.warningCount++;
        if (!w.changes.has('opened')) {
          w.changes.add('warning');
          if (merged.isRaised) w.changes.add('grade_raised');
          if (addsId || addsName) w.addsPerson = true;
        }
        if (addsName) w.name = hit.person.name;
        if (merged.isRaised) w.ladder = raiseLadderGrade(w.ladder, merged.episode.grade);
      }
      register(w);
      warnings.push({
        id: randomUUID(),
        episode_id: w.id,
        source: hit.source,
        signal_id: hit.signalId,
        signal_kind: hit.signalKind,
        indicator_id: hit.indicator?.id ?? null,
        indicator_kind: hit.indicator?.kind ?? null,
        indicator_value: hit.indicator?.value ?? null,
        grade: grading.grade,
        score: grading.score,
        factors: JSON.stringify(grading.factors),
        amount_fen: hit.amountFen,
        signal_at: at,
        recorded_at: now,
      });
    }

    const created = all.filter((w) => w.row === undefined);
    const newRows: Array<Insertable<EpisodeTable>> = created.map((w) => ({
      id: w.id,
      person_phone: w.episode.person.phone,
      person_id_number: w.episode.person.idNumber,
      person_name: w.name,
      county_code: w.countyCode,
      routed_by: w.routedBy,
      grade: w.ladder.grade,
      step: w.ladder.step,
      ladder: ladderToJson(w.ladder),
      next_timer_at: nextTimerAt(w.ladder),
      is_overdue: false,
      warning_count: w.warningCount,
      opened_at: now,
      last_warning_at: w.episode.lastWarningAt,
      updated_at: now,
    }));
    await repo.insertEpisodes(trx, newRows);
    const changed = all.filter((w) => w.row !== undefined && w.changes.size > 0);
    const changes: EpisodeChange[] = changed.map((w) => ({
      ...changeOf(
        { id: w.id, warning_count: w.warningCount, last_warning_at: w.episode.lastWarningAt },
        w.ladder,
        now,
      ),
    }));
    await repo.applyChanges(trx, changes);
    for (const w of changed.filter((c) => c.addsPerson))
      await repo.setPerson(trx, w.id, { person_id_number: w.episode.person.idNumber, person_name: w.name });
    const inserted = await repo.insertWarnings(trx, warnings);
    if (inserted !== warnings.length)
      throw new AppError('conflict', 'A signal of this batch was listed by another process: retry the batch');
    await repo.insertContacts(
      trx,
      all.flatMap((w) => w.contacts),
    );
    result.listed = warnings.length;
    result.listedIndicatorIds = warnings.flatMap((w) =>
      w.indicator_id == null ? [] : [Number(w.indicator_id)],
    );

    await emitEpisodes(trx, deps.clock, [
      ...created.map((w) => ({
        row: {
          ...(newRows.find((r) => r.id === w.id) as unknown as EpisodeRow),
          ladder: JSON.parse(ladderToJson(w.ladder)) as unknown,
          taken_by: null,
          taken_at: null,
          close_reason: null,
          closed_at: null,
          intake_draft_wanted_at: null,
          opened_at: now,
          updated_at: now,
          version: 1,
        },
        change: 'opened',
      })),
      ...changed.map((w) => ({
        row: rowAfter(
          w.row!,
          changes.find((c) => c.id === w.id)!,
        ),
        change: [...w.changes].join(','),
      })),
    ]);
    return result;
  };
}
export type RecordHits = ReturnType<typeof createHitRecorder>;
