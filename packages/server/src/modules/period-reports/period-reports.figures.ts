import type { PeriodReportFigures, TaskKind } from '@fanzha/contracts';
import { countyLabel, findBankByCode, fraudTypes } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { callbackRates } from '../callbacks/index';
import { countyTaskPeriodFigures } from '../county-tasks/index';
import { taskPeriodFigures } from '../tasks/index';
import { wallPeriodFigures } from '../wall/index';
import type { Period } from './period';

/** The three-minute clock's target: from the call answered to the first stop result. */
export const CLOCK_TARGET_S = 180;
/** A bank answers in time within ten minutes of the instruction being sent (the centre's yardstick). */
export const BANK_TARGET_S = 600;

/** Capabilities a report would show but that publish nothing yet: their rows say 尚未接入, never a number. */
export const NOT_CONNECTED = ['技术反制 (countermeasures)'];

const CALLBACK_KIND_ZH: Record<string, string> = {
  report_closed: '结案回访',
  money_returned: '返还回访',
  persuaded: '劝阻回访',
};
const TASK_KIND_ZH: Record<string, string> = {
  'stop-payment': '紧急止付',
  freeze: '冻结',
  return: '资金返还',
  'county-task': '属地核查',
  warning: '预警劝阻',
  visit: '上门劝阻',
  'carrier-request': '运营商协助',
  callback: '回访',
  complaint: '投诉',
  campaign: '宣传',
  countermeasure: '反制',
  investigation: '侦查移交',
  'two-cards': '断卡移交',
  appeal: '申诉',
};
const OPERATOR_ZH: Record<string, string> = {
  china_mobile: '中国移动',
  china_unicom: '中国联通',
  china_telecom: '中国电信',
  china_broadnet: '中国广电',
};
const unitName = (kind: 'county' | 'bank' | 'operator', code: string) =>
  (kind === 'county'
    ? countyLabel(code)
    : kind === 'bank'
      ? findBankByCode(code)?.nameZh
      : OPERATOR_ZH[code]) ?? code;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const fraudName = (code: string) =>
  fraudTypes.find((t) => t.code === code)?.nameZh ?? (code === '' ? '未分类' : code);

/**
 * Every figure of one report, from the wall's rollups and the county tasks' public reads (never another
 * module's tables). The centre's money figures are what happened in the period (stops answered, money
 * frozen and returned in it); a county's are those of the reports it received in the period, as they stand.
 */
export async function periodFigures(
  db: Kysely<DB>,
  p: Period,
  county: string | null,
  now: Date,
): Promise<PeriodReportFigures> {
  const [wall, tasks, callbacks, queue] = await Promise.all([
    wallPeriodFigures(db, {
      from: p.from,
      to: p.to,
      fromDay: p.fromDay,
      lastDay: p.lastDay,
      county,
      targetS: CLOCK_TARGET_S,
      bankTargetS: BANK_TARGET_S,
    }),
    countyTaskPeriodFigures(db, p.from, p.to, county),
    callbackRates(db, p.from, p.to, county),
    taskPeriodFigures(db, p.from, p.to, county, now),
  ]);
  const byKey = (metric: string) =>
    wall.days
      .filter((d) => d.metric === metric && (metric !== 'county' || county === null || d.key === county))
      .filter((d) => d.n !== 0 || d.fen !== 0);
  const countyRows = byKey('county');
  const centre = county === null;
  const summary: PeriodReportFigures['summary'] = centre
    ? {
        reports: wall.hours.received.n,
        lossFen: wall.hours.received.fen,
        stoppedAccounts: wall.hours.stopped.n,
        stoppedFen: wall.hours.stopped.fen,
        frozenFen: wall.hours.frozen.fen,
        returnedFen: wall.hours.returned.fen,
        warnings: wall.hours.warned.n,
        persuasions: wall.hours.persuaded.n,
      }
    : {
        reports: wall.reports.reports,
        lossFen: wall.reports.lossFen,
        stoppedAccounts: null,
        stoppedFen: wall.reports.stoppedFen,
        frozenFen: wall.reports.frozenFen,
        returnedFen: wall.reports.returnedFen,
        // Warnings are counted for the province, not per county, by the rollups.
        warnings: null,
        persuasions: null,
      };
  return {
    summary,
    clock: {
      reports: wall.reports.reports,
      reached: wall.reports.reached,
      withinTarget: wall.reports.within,
      medianS: round1(wall.reports.p50),
      p90S: round1(wall.reports.p90),
      targetS: CLOCK_TARGET_S,
    },
    counties: countyRows
      .map((d) => ({
        code: d.key,
        name: d.key === '' ? '未定属地' : (countyLabel(d.key) ?? d.key),
        reports: d.n,
        lossFen: d.fen,
      }))
      .sort((a, b) => b.reports - a.reports || a.code.localeCompare(b.code)),
    fraudTypes: (centre ? byKey('fraud_type') : [])
      .map((d) => ({ code: d.key, name: fraudName(d.key), reports: d.n, lossFen: d.fen }))
      .sort((a, b) => b.reports - a.reports || a.code.localeCompare(b.code)),
    banks: wall.banks
      .filter((b) => b.bankCode !== null)
      .map((b) => ({
        bankCode: b.bankCode!,
        bankName: findBankByCode(b.bankCode!)?.nameZh ?? b.bankCode!,
        answered: b.answered,
        stopped: b.stopped,
        inTime: b.inTime,
        medianS: round1(b.p50),
      }))
      .sort((a, b) => b.answered - a.answered || a.bankCode.localeCompare(b.bankCode)),
    countyLeague: tasks
      .map((t) => ({
        code: t.countyCode,
        name: countyLabel(t.countyCode) ?? t.countyCode,
        handOffs: t.handOffs,
        acceptedInTime: t.acceptedInTime,
        overdue: t.overdue,
      }))
      .sort((a, b) => a.overdue - b.overdue || b.handOffs - a.handOffs || a.code.localeCompare(b.code)),
    bankTargetS: BANK_TARGET_S,
    overdue: {
      countyTasks: tasks.reduce((s, t) => s + t.overdue, 0),
      taskQueue: queue.overdueByKind.reduce((s, k) => s + k.overdue, 0),
    },
    callbacks: {
      all: callbacks.all,
      byKind: callbacks.byKind.map((k) => ({ ...k, name: CALLBACK_KIND_ZH[k.kind] ?? k.kind })),
    },
    taskQueue: {
      overdueByKind: queue.overdueByKind.map((k) => ({
        kind: k.kind as TaskKind,
        name: TASK_KIND_ZH[k.kind] ?? k.kind,
        overdue: k.overdue,
      })),
      leagues: queue.leagues.map((l) => ({
        unitKind: l.unitKind,
        units: l.units.map((u) => ({ ...u, name: unitName(l.unitKind, u.unitCode) })),
      })),
    },
    notConnected: NOT_CONNECTED,
  };
}
