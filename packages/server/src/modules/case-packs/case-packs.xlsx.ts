import ExcelJS from 'exceljs';
import { addSheet, totalsRow as totalsRowOf, YUAN, type Cell } from '../../platform/documents/xlsx-sheets';
import {
  accountLabel,
  chinaTime,
  measureKindZh,
  packTotals,
  ruleZh,
  type CasePackFacts,
} from './case-packs.facts';

/**
 * The workbook of a case pack: 案件概况, 报案, 账户分层, 资金流水 and 处置措施, each with a frozen header row;
 * amounts in yuan (`¥#,##0.00`); the lists end in a totals row of SUM formulas (values cached, so a reader
 * that does not calculate still shows them). Full account numbers: the pack is for investigators and
 * prosecutors, who act on them.
 */
const yuan = (fen: number) => fen / 100;

export const SHEETS = ['案件概况', '报案', '账户分层', '资金流水', '处置措施'] as const;

/** A `合计` row under `n` data rows (zeros when there are none). */
const totalsRow = (ws: ExcelJS.Worksheet, n: number, sums: Array<{ col: string; value: number }>) =>
  totalsRowOf(ws, n, sums, 'zeros');

const sumOf = <T>(rows: T[], fen: (r: T) => number) => yuan(rows.reduce((a, r) => a + fen(r), 0));

export async function casePackXlsx(f: CasePackFacts): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const title = `串并案件材料包 ${f.cluster.label}`;
  wb.creator = 'fanzha';
  wb.title = title;
  wb.created = f.generatedAt;
  wb.modified = f.generatedAt;

  const c = f.cluster;
  const t = packTotals(f);
  const summary = addSheet(wb, {
    name: '案件概况',
    columns: [
      { header: '项目', width: 28 },
      { header: '内容', width: 60 },
    ],
    rows: [
      ['案件', title],
      ['案件编号', c.id],
      ['状态', c.status],
      ['报案数 (起)', c.reports],
      ['受害人数 (人)', c.victims],
      ['损失金额 (元)', yuan(t.lossFen)],
      ['涉及县区', c.counties.join('、') || '—'],
      ['诈骗类型', c.fraudTypes.join('、') || '—'],
      ['时间跨度 (北京时间)', `${chinaTime(c.firstAt)} 至 ${chinaTime(c.lastAt)}`],
      ['资金追踪分配规则', ruleZh[f.rule]],
      ['涉案账户数 (户)', f.accounts.length],
      ['最深层级', Math.max(0, ...f.accounts.map((a) => a.layer))],
      ['第一层流入金额 (元)', yuan(t.firstLayerFen)],
      ['止付金额 (元)', yuan(t.stoppedFen)],
      ['冻结金额 (元)', yuan(t.frozenFen)],
      ['返还金额 (元)', yuan(t.returnedFen)],
      ['追踪是否截断', f.isTruncated ? '是（达到层数或枢纽账户上限）' : '否'],
      ['生成时间 (北京时间)', chinaTime(f.generatedAt)],
      ...c.indicators.map((i): Cell[] => [`共用线索：${i.kind}`, `${i.value}（${i.reports} 起）`]),
    ],
  });
  for (const r of [6, 13, 14, 15, 16]) summary.getCell(`B${r}`).numFmt = YUAN;
  summary.getColumn(2).alignment = { horizontal: 'left' };

  const reports = addSheet(wb, {
    name: '报案',
    columns: [
      { header: '报案编号', width: 22 },
      { header: '接警时间 (北京时间)', width: 20 },
      { header: '县区', width: 18 },
      { header: '诈骗类型', width: 26 },
      { header: '损失金额 (元)', width: 16, numFmt: YUAN },
    ],
    rows: f.reports.map((r) => [r.number, chinaTime(r.receivedAt), r.county, r.fraudType, yuan(r.lossFen)]),
  });
  totalsRow(reports, f.reports.length, [{ col: 'E', value: sumOf(f.reports, (r) => r.lossFen) }]);

  const accounts = [...f.accounts].sort((a, b) => a.layer - b.layer || b.receivedFen - a.receivedFen);
  const accountSheet = addSheet(wb, {
    name: '账户分层',
    columns: [
      { header: '层级', width: 8 },
      { header: '银行', width: 18 },
      { header: '账号', width: 24 },
      { header: '户名', width: 14 },
      { header: '流入受害资金 (元)', width: 18, numFmt: YUAN },
      { header: '转出受害资金 (元)', width: 18, numFmt: YUAN },
      { header: '应留存 (元)', width: 16, numFmt: YUAN },
      { header: '留存资金来源 (受害人数)', width: 22 },
    ],
    rows: accounts.map((a) => [
      a.layer,
      a.bankName ?? a.bankCode,
      a.number,
      a.holder ?? '',
      yuan(a.receivedFen),
      yuan(a.passedOnFen),
      yuan(a.heldFen),
      a.sources ?? '—',
    ]),
  });
  totalsRow(accountSheet, accounts.length, [
    { col: 'E', value: sumOf(accounts, (a) => a.receivedFen) },
    { col: 'F', value: sumOf(accounts, (a) => a.passedOnFen) },
    { col: 'G', value: sumOf(accounts, (a) => a.heldFen) },
  ]);

  const transfers = [...f.transfers].sort((a, b) => a.depth - b.depth || a.at.getTime() - b.at.getTime());
  const transferSheet = addSheet(wb, {
    name: '资金流水',
    columns: [
      { header: '层级', width: 8 },
      { header: '交易时间 (北京时间)', width: 20 },
      { header: '付款方', width: 34 },
      { header: '收款方', width: 34 },
      { header: '交易金额 (元)', width: 16, numFmt: YUAN },
      { header: '其中受害资金 (元)', width: 18, numFmt: YUAN },
    ],
    rows: transfers.map((x) => [
      x.depth,
      chinaTime(x.at),
      accountLabel(f, x.from),
      accountLabel(f, x.to),
      yuan(x.transferFen),
      yuan(x.tracedFen),
    ]),
  });
  totalsRow(transferSheet, transfers.length, [
    { col: 'E', value: sumOf(transfers, (x) => x.transferFen) },
    { col: 'F', value: sumOf(transfers, (x) => x.tracedFen) },
  ]);

  const measureSheet = addSheet(wb, {
    name: '处置措施',
    columns: [
      { header: '措施', width: 12 },
      { header: '报案编号', width: 22 },
      { header: '层级', width: 8 },
      { header: '银行', width: 18 },
      { header: '账号', width: 24 },
      { header: '状态', width: 12 },
      { header: '申请金额 (元)', width: 16, numFmt: YUAN },
      { header: '实际金额 (元)', width: 16, numFmt: YUAN },
      { header: '文书编号', width: 22 },
      { header: '时间 (北京时间)', width: 20 },
    ],
    rows: f.measures.map((m) => [
      measureKindZh[m.kind],
      m.reportNumber,
      m.layer,
      m.account.bankName ?? m.account.bankCode,
      m.account.number,
      m.status,
      m.requestedFen === null ? '' : yuan(m.requestedFen),
      yuan(m.effectiveFen),
      m.document ?? '',
      chinaTime(m.at),
    ]),
  });
  // Stops, freezes and returns may hold the same money twice over: one total per kind, never one sum.
  const n = f.measures.length;
  for (const kind of ['stop', 'freeze', 'release', 'return'] as const) {
    const row = measureSheet.addRow([`合计：${measureKindZh[kind]}`]);
    const value = sumOf(
      f.measures.filter((m) => m.kind === kind),
      (m) => m.effectiveFen,
    );
    measureSheet.getCell(`H${row.number}`).value =
      n === 0 ? 0 : { formula: `SUMIF(A2:A${n + 1},"${measureKindZh[kind]}",H2:H${n + 1})`, result: value };
    row.font = { bold: true };
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
