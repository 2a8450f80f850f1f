import type { PeriodReportFigures } from '@fanzha/contracts';
import ExcelJS from 'exceljs';
import {
  addSheet as addSheetOf,
  totalsRow as totalsRowOf,
  YUAN,
  type Cell,
  type SheetSpec,
} from '../../platform/documents/xlsx-sheets';

/**
 * The xlsx of a report: one sheet per section, a frozen header row, column widths, amounts in yuan
 * (`¥#,##0.00`), shares as percentages; totals and rates are real formulas (with their values cached, so
 * a reader that does not calculate still shows them).
 */
export interface ReportMeta {
  title: string;
  from: string;
  lastDay: string;
  scope: string;
  createdAt: Date;
}

const PERCENT = '0.0%';
const yuan = (fen: number) => fen / 100;
const NOT_CONNECTED = '尚未接入';

const addSheet = (wb: ExcelJS.Workbook, spec: SheetSpec) => addSheetOf(wb, spec, NOT_CONNECTED);

const ratio = (num: number, den: number) => (den === 0 ? '' : num / den);

/** A league sheet's totals row of SUM formulas under the numeric columns listed (none when it is empty). */
const totalsRow = (ws: ExcelJS.Worksheet, n: number, sums: Array<{ col: string; value: number }>) =>
  totalsRowOf(ws, n, sums, 'none');

export async function reportXlsx(f: PeriodReportFigures, meta: ReportMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'fanzha';
  wb.title = meta.title;
  wb.created = meta.createdAt;
  wb.modified = meta.createdAt;

  const s = f.summary;
  const summary = addSheet(wb, {
    name: '概况',
    columns: [
      { header: '指标', width: 28 },
      { header: '数值', width: 20 },
    ],
    rows: [
      ['报表', meta.title],
      ['范围', meta.scope],
      ['统计期 (北京时间)', `${meta.from} 至 ${meta.lastDay}`],
      ['接警数 (起)', s.reports],
      ['损失金额 (元)', yuan(s.lossFen)],
      ['止付账户数 (户)', s.stoppedAccounts],
      ['止付金额 (元)', yuan(s.stoppedFen)],
      ['冻结金额 (元)', yuan(s.frozenFen)],
      ['返还金额 (元)', yuan(s.returnedFen)],
      ['止付金额占损失比', { formula: 'IF(B6=0,"",B8/B6)', result: ratio(s.stoppedFen, s.lossFen) }],
      ['预警 (人次)', s.warnings],
      ['劝阻 (起)', s.persuasions],
      ['技术反制', null],
    ],
  });
  for (const r of [6, 8, 9, 10]) summary.getCell(`B${r}`).numFmt = YUAN;
  summary.getCell('B11').numFmt = PERCENT;

  const c = f.clock;
  const clock = addSheet(wb, {
    name: '三分钟时钟',
    columns: [
      { header: '指标', width: 32 },
      { header: '数值', width: 16 },
    ],
    rows: [
      ['接警数 (起)', c.reports],
      ['已有首个止付结果 (起)', c.reached],
      [`${c.targetS} 秒内止付 (起)`, c.withinTarget],
      ['三分钟达标率', { formula: 'IF(B2=0,"",B4/B2)', result: ratio(c.withinTarget, c.reports) }],
      ['中位用时 (秒)', c.medianS ?? '—'],
      ['P90 用时 (秒)', c.p90S ?? '—'],
    ],
  });
  clock.getCell('B5').numFmt = PERCENT;

  const counties = addSheet(wb, {
    name: '县区',
    columns: [
      { header: '县区代码', width: 12 },
      { header: '县区', width: 24 },
      { header: '接警数', width: 12 },
      { header: '损失金额 (元)', width: 18, numFmt: YUAN },
    ],
    rows: f.counties.map((r) => [r.code, r.name, r.reports, yuan(r.lossFen)]),
  });
  totalsRow(counties, f.counties.length, [
    { col: 'C', value: f.counties.reduce((a, r) => a + r.reports, 0) },
    { col: 'D', value: yuan(f.counties.reduce((a, r) => a + r.lossFen, 0)) },
  ]);

  const types = addSheet(wb, {
    name: '诈骗类型',
    columns: [
      { header: '类型代码', width: 30 },
      { header: '类型', width: 30 },
      { header: '接警数', width: 12 },
      { header: '损失金额 (元)', width: 18, numFmt: YUAN },
    ],
    rows: f.fraudTypes.map((r) => [r.code, r.name, r.reports, yuan(r.lossFen)]),
  });
  totalsRow(types, f.fraudTypes.length, [
    { col: 'C', value: f.fraudTypes.reduce((a, r) => a + r.reports, 0) },
    { col: 'D', value: yuan(f.fraudTypes.reduce((a, r) => a + r.lossFen, 0)) },
  ]);

  const banks = addSheet(wb, {
    name: '银行榜',
    columns: [
      { header: '银行代码', width: 12 },
      { header: '银行', width: 28 },
      { header: '答复数', width: 10 },
      { header: '止付成功', width: 10 },
      { header: `${f.bankTargetS / 60} 分钟内答复`, width: 16 },
      { header: '及时率', width: 10, numFmt: PERCENT },
      { header: '中位答复用时 (秒)', width: 18 },
    ],
    rows: f.banks.map((b, i) => [
      b.bankCode,
      b.bankName,
      b.answered,
      b.stopped,
      b.inTime,
      { formula: `IF(C${i + 2}=0,"",E${i + 2}/C${i + 2})`, result: ratio(b.inTime, b.answered) },
      b.medianS ?? '—',
    ]),
  });
  totalsRow(banks, f.banks.length, [
    { col: 'C', value: f.banks.reduce((a, r) => a + r.answered, 0) },
    { col: 'D', value: f.banks.reduce((a, r) => a + r.stopped, 0) },
    { col: 'E', value: f.banks.reduce((a, r) => a + r.inTime, 0) },
  ]);

  const league = addSheet(wb, {
    name: '县区榜',
    columns: [
      { header: '县区代码', width: 12 },
      { header: '县区', width: 24 },
      { header: '推送数', width: 10 },
      { header: '按时签收', width: 10 },
      { header: '按时签收率', width: 12, numFmt: PERCENT },
      { header: '超期', width: 10 },
    ],
    rows: f.countyLeague.map((t, i) => [
      t.code,
      t.name,
      t.handOffs,
      t.acceptedInTime,
      { formula: `IF(C${i + 2}=0,"",D${i + 2}/C${i + 2})`, result: ratio(t.acceptedInTime, t.handOffs) },
      t.overdue,
    ]),
  });
  totalsRow(league, f.countyLeague.length, [
    { col: 'C', value: f.countyLeague.reduce((a, r) => a + r.handOffs, 0) },
    { col: 'D', value: f.countyLeague.reduce((a, r) => a + r.acceptedInTime, 0) },
    { col: 'F', value: f.countyLeague.reduce((a, r) => a + r.overdue, 0) },
  ]);

  const q = f.taskQueue;
  const kinds = q?.overdueByKind ?? [];
  addSheet(wb, {
    name: '督办',
    columns: [
      { header: '事项', width: 36 },
      { header: '数值', width: 14 },
    ],
    rows: [
      ['属地推送超期 (件)', f.overdue.countyTasks],
      [
        '统一任务队列超期 (件)',
        kinds.length === 0
          ? f.overdue.taskQueue
          : { formula: `SUM(B4:B${kinds.length + 3})`, result: f.overdue.taskQueue ?? 0 },
      ],
      ...kinds.map((k): Cell[] => [`  其中 ${k.name}`, k.overdue]),
    ],
  });

  const units = (q?.leagues ?? []).flatMap((l) => l.units.map((u) => ({ ...u, unitKind: l.unitKind })));
  const unitKindZh = { county: '县区', bank: '银行', operator: '运营商' } as const;
  const taskLeague = addSheet(wb, {
    name: '任务榜',
    columns: [
      { header: '单位类别', width: 10 },
      { header: '单位代码', width: 16 },
      { header: '单位', width: 28 },
      { header: '期内到期', width: 10 },
      { header: '按时办结', width: 10 },
      { header: '按时率', width: 10, numFmt: PERCENT },
      { header: '中位办结用时 (秒)', width: 18 },
      { header: '当前超期未办', width: 14 },
    ],
    rows: q
      ? units.map((u, i) => [
          unitKindZh[u.unitKind],
          u.unitCode,
          u.name,
          u.due,
          u.doneOnTime,
          { formula: `IF(D${i + 2}=0,"",E${i + 2}/D${i + 2})`, result: ratio(u.doneOnTime, u.due) },
          u.medianDoneS ?? '—',
          u.overdueOpen,
        ])
      : [[null]],
  });
  if (q)
    totalsRow(taskLeague, units.length, [
      { col: 'D', value: units.reduce((a, r) => a + r.due, 0) },
      { col: 'E', value: units.reduce((a, r) => a + r.doneOnTime, 0) },
      { col: 'H', value: units.reduce((a, r) => a + r.overdueOpen, 0) },
    ]);

  const cb = f.callbacks;
  const callbacks = addSheet(wb, {
    name: '回访',
    columns: [
      { header: '回访类型', width: 16 },
      { header: '应回访', width: 10 },
      { header: '已结束', width: 10 },
      { header: '接通', width: 10 },
      { header: '接通率', width: 10, numFmt: PERCENT },
      { header: '未接通', width: 10 },
      { header: '拒访', width: 10 },
      { header: '平均满意度 (1–5)', width: 16, numFmt: '0.00' },
      { header: '投诉', width: 10 },
    ],
    rows: cb
      ? cb.byKind.map((k, i) => [
          k.name,
          k.scheduled,
          k.closed,
          k.reached,
          { formula: `IF(C${i + 2}=0,"",D${i + 2}/C${i + 2})`, result: k.reachRate ?? '' },
          k.unreachable,
          k.refused,
          k.meanSatisfaction ?? '—',
          k.complaints,
        ])
      : [[null]],
  });
  if (cb) {
    const n = cb.byKind.length;
    totalsRow(callbacks, n, [
      { col: 'B', value: cb.all.scheduled },
      { col: 'C', value: cb.all.closed },
      { col: 'D', value: cb.all.reached },
      { col: 'F', value: cb.all.unreachable },
      { col: 'G', value: cb.all.refused },
      { col: 'I', value: cb.all.complaints },
    ]);
    const t = n + 2;
    callbacks.getCell(`E${t}`).value = {
      formula: `IF(C${t}=0,"",D${t}/C${t})`,
      result: cb.all.reachRate ?? '',
    };
    callbacks.getCell(`H${t}`).value = cb.all.meanSatisfaction ?? '—';
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
