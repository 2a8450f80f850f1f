import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { flowChartOption, flowChartSvg, MAX_FLOWS } from './case-packs.chart';
import { packTotals, type CasePackFacts } from './case-packs.facts';
import { casePackPdf } from './case-packs.pdf';
import { casePackXlsx, SHEETS } from './case-packs.xlsx';

const at = (s: string) => new Date(`2026-05-01T${s}:00+08:00`);
const acct = (bankCode: string, bankName: string, number: string, holder: string) => ({
  key: `${bankCode}:${number}`,
  bankCode,
  bankName,
  number,
  holder,
});
const A = acct('ICBC', '工商银行', '6222020000001111', '张某');
const B = acct('CCB', '建设银行', '6217000000002222', '李某');
const C = acct('ABC', '农业银行', '6228480000003333', '王某');

/**
 * Two victims (¥50,000 and ¥20,000) pay mule A; A passes ¥60,000 to B, which keeps it, and ¥8,000 to C.
 * B is stopped and frozen, and ¥12,000 is returned from it.
 */
const facts: CasePackFacts = {
  cluster: {
    id: '3f1c1d2e-0000-4000-8000-0000000000aa',
    label: 'CL-2026-0007',
    status: '侦办中',
    reports: 2,
    victims: 2,
    lossFen: 7_000_000,
    counties: ['贵阳市南明区', '凯里市'],
    fraudTypes: ['刷单返利类诈骗'],
    firstAt: at('09:00'),
    lastAt: at('11:30'),
    indicators: [{ kind: '收款账户', value: `${A.bankName} ${A.number}`, reports: 2 }],
  },
  reports: [
    {
      id: 'r1',
      number: 'BA20260501000001',
      receivedAt: at('09:00'),
      county: '贵阳市南明区',
      fraudType: '刷单返利类诈骗',
      lossFen: 5_000_000,
    },
    {
      id: 'r2',
      number: 'BA20260501000002',
      receivedAt: at('11:30'),
      county: '凯里市',
      fraudType: '刷单返利类诈骗',
      lossFen: 2_000_000,
    },
  ],
  rule: 'fifo',
  sources: [
    { key: 'victim:r1', reportNumber: 'BA20260501000001' },
    { key: 'victim:r2', reportNumber: 'BA20260501000002' },
  ],
  accounts: [
    { ...A, layer: 1, receivedFen: 7_000_000, passedOnFen: 6_800_000, heldFen: 200_000, sources: 2 },
    { ...B, layer: 2, receivedFen: 6_000_000, passedOnFen: 0, heldFen: 6_000_000, sources: 2 },
    { ...C, layer: 2, receivedFen: 800_000, passedOnFen: 0, heldFen: 800_000, sources: 1 },
  ],
  transfers: [
    { from: 'victim:r1', to: A.key, depth: 1, at: at('08:40'), transferFen: 5_000_000, tracedFen: 5_000_000 },
    { from: 'victim:r2', to: A.key, depth: 1, at: at('08:50'), transferFen: 2_000_000, tracedFen: 2_000_000 },
    { from: A.key, to: B.key, depth: 2, at: at('09:05'), transferFen: 6_000_000, tracedFen: 6_000_000 },
    { from: A.key, to: C.key, depth: 2, at: at('09:10'), transferFen: 900_000, tracedFen: 800_000 },
  ],
  measures: [
    {
      kind: 'stop',
      reportNumber: 'BA20260501000001',
      account: B,
      layer: 2,
      status: '已止付',
      requestedFen: 6_000_000,
      effectiveFen: 5_500_000,
      document: 'GZ-ZF-0001',
      at: at('09:12'),
    },
    {
      kind: 'freeze',
      reportNumber: 'BA20260501000001',
      account: B,
      layer: 2,
      status: '冻结中',
      requestedFen: 5_500_000,
      effectiveFen: 4_300_000,
      document: 'GZ-DJ-0001',
      at: at('10:00'),
    },
    {
      kind: 'return',
      reportNumber: 'BA20260501000001',
      account: B,
      layer: 2,
      status: '已返还',
      requestedFen: 1_200_000,
      effectiveFen: 1_200_000,
      document: 'GZ-FH-0001',
      at: at('11:00'),
    },
  ],
  isTruncated: false,
  generatedAt: new Date('2026-05-02T02:00:00Z'),
};

const dir = mkdtempSync(join(tmpdir(), 'case-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('case pack workbook', () => {
  it('has the five sheets, in order, with the cluster figures and totals that add up', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await casePackXlsx(facts)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SHEETS]);

    const summary = wb.getWorksheet('案件概况')!;
    const field = (label: string) => {
      let v: unknown;
      summary.eachRow((r) => {
        if (r.getCell(1).value === label) v = r.getCell(2).value;
      });
      return v;
    };
    expect(field('报案数 (起)')).toBe(2);
    expect(field('损失金额 (元)')).toBe(70_000);
    expect(field('止付金额 (元)')).toBe(55_000);
    expect(field('冻结金额 (元)')).toBe(43_000);
    expect(field('返还金额 (元)')).toBe(12_000);
    expect(field('第一层流入金额 (元)')).toBe(70_000);
    expect(field('涉及县区')).toBe('贵阳市南明区、凯里市');
    expect(field('资金追踪分配规则')).toBe('先进先出 (FIFO)');
    expect(field('共用线索：收款账户')).toBe(`${A.bankName} ${A.number}（2 起）`);

    const lastRow = (name: string) => {
      const ws = wb.getWorksheet(name)!;
      return ws.getRow(ws.rowCount);
    };
    const reports = wb.getWorksheet('报案')!;
    expect(reports.rowCount).toBe(4);
    expect(reports.getRow(2).getCell(1).value).toBe('BA20260501000001');
    expect(reports.getRow(2).getCell(2).value).toBe('2026-05-01 09:00');
    expect(lastRow('报案').getCell(5).value).toEqual({ formula: 'SUM(E2:E3)', result: 70_000 });

    const accounts = wb.getWorksheet('账户分层')!;
    expect(accounts.getColumn(1).values.slice(2, 5)).toEqual([1, 2, 2]);
    expect(accounts.getRow(2).getCell(3).value).toBe(A.number);
    expect(accounts.getRow(2).getCell(8).value).toBe(2);
    expect(lastRow('账户分层').getCell(7).value).toEqual({ formula: 'SUM(G2:G4)', result: 70_000 });

    const transfers = wb.getWorksheet('资金流水')!;
    expect(transfers.getRow(2).getCell(3).value).toBe('受害人（BA20260501000001）');
    expect(transfers.getRow(5).getCell(4).value).toBe(`农业银行 ${C.number}`);
    expect(lastRow('资金流水').getCell(5).value).toEqual({ formula: 'SUM(E2:E5)', result: 139_000 });
    expect(lastRow('资金流水').getCell(6).value).toEqual({ formula: 'SUM(F2:F5)', result: 138_000 });

    const measures = wb.getWorksheet('处置措施')!;
    expect(measures.getRow(2).getCell(1).value).toBe('紧急止付');
    expect(measures.getRow(2).getCell(9).value).toBe('GZ-ZF-0001');
    const totals = new Map<unknown, unknown>();
    measures.eachRow((r) => totals.set(r.getCell(1).value, r.getCell(8).value));
    expect(totals.get('合计：紧急止付')).toEqual({
      formula: 'SUMIF(A2:A4,"紧急止付",H2:H4)',
      result: 55_000,
    });
    expect(totals.get('合计：资金返还')).toMatchObject({ result: 12_000 });
    // exceljs leaves a cached 0 out when it reads the file back.
    expect(totals.get('合计：解冻')).toEqual({ formula: 'SUMIF(A2:A4,"解冻",H2:H4)' });
  });

  it('still has every sheet, with zero totals, for a cluster with nothing traced or done yet', async () => {
    const empty = { ...facts, accounts: [], transfers: [], measures: [] };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await casePackXlsx(empty)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SHEETS]);
    expect(wb.getWorksheet('资金流水')!.getRow(2).getCell(5).value).toBe(0);
  });
});

describe('money-flow chart', () => {
  it('draws one band per traced flow, each account at its layer, an account met twice once per layer', () => {
    const back = {
      ...facts,
      transfers: [
        ...facts.transfers,
        { from: B.key, to: A.key, depth: 3, at: at('09:30'), transferFen: 100_000, tracedFen: 100_000 },
      ],
    };
    const { option } = flowChartOption(back);
    const series = (
      option.series as Array<{ data: Array<{ name: string; depth: number }>; links: unknown[] }>
    )[0]!;
    expect(series.links).toHaveLength(5);
    const names = series.data.map((n) => `${n.depth} ${n.name}`).sort();
    expect(names).toEqual(
      [
        '0 受害人（BA20260501000001）',
        '0 受害人（BA20260501000002）',
        `1 工商银行 ${A.number}（第1层）`,
        `2 农业银行 ${C.number}`,
        `2 建设银行 ${B.number}`,
        `3 工商银行 ${A.number}（第3层）`,
      ].sort(),
    );
  });

  it('renders to SVG on the server with every account and the amounts on the bands', () => {
    const { svg } = flowChartSvg(facts);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const s of [
      A.number,
      B.number,
      C.number,
      '受害人（BA20260501000002）',
      '¥60,000.00',
      '¥8,000.00',
      '¥70,000.00',
    ])
      expect(svg).toContain(s);
  });

  it(`draws the ${MAX_FLOWS} largest flows of a big cluster and counts the rest`, () => {
    const many = {
      ...facts,
      transfers: Array.from({ length: MAX_FLOWS + 15 }, (_, i) => ({
        from: 'victim:r1',
        to: `ICBC:62220200000${String(i).padStart(5, '0')}`,
        depth: 1,
        at: at('09:00'),
        transferFen: 1000 + i,
        tracedFen: 1000 + i,
      })),
    };
    const chart = flowChartOption(many);
    expect(chart.omitted).toBe(15);
    const links = (chart.option.series as Array<{ links: Array<{ value: number }> }>)[0]!.links;
    expect(Math.min(...links.map((l) => l.value))).toBe(10.15);
  });
});

describe('case pack PDF', () => {
  it('reads, in Chinese, the cluster and its figures, with the chart drawn in', async () => {
    const pdf = await casePackPdf(facts);
    const file = join(dir, 'pack.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const s of [
      '串并案件材料包 CL-2026-0007',
      '案件概况',
      '贵阳市南明区、凯里市',
      '刷单返利类诈骗',
      '¥70,000.00',
      '¥55,000.00',
      '¥43,000.00',
      '¥12,000.00',
      '资金流向图',
      '先进先出',
      '账户分层',
      '处置措施',
      'BA20260501000002',
    ])
      expect(text, s).toContain(s);
    // The chart's own labels are text in the PDF (vector, with the embedded font), not a picture.
    expect(text).toContain(C.number);
    expect(text.split(B.number).length - 1).toBeGreaterThanOrEqual(2);
    const fonts = execFileSync('pdffonts', [file]).toString();
    expect(fonts).toMatch(/NotoSans/);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('wraps a long cell and grows its row, never writing over the next row (a gang across eight counties)', async () => {
    const counties = [
      '黔东南苗族侗族自治州台江县',
      '贵阳市南明区',
      '遵义市红花岗区',
      '遵义市余庆县',
      '毕节市织金县',
      '毕节市黔西市',
      '黔西南布依族苗族自治州望谟县',
      '黔南布依族苗族自治州都匀市',
    ];
    const file = join(dir, 'wide.pdf');
    writeFileSync(file, await casePackPdf({ ...facts, cluster: { ...facts.cluster, counties } }));
    const words = [
      ...execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'])
        .toString()
        .matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map(([, yMin, yMax, text]) => ({ yMin: Number(yMin), yMax: Number(yMax), text: text! }));
    const from = words.findIndex((w) => w.text === '涉及县区');
    const next = words.findIndex((w) => w.text === '诈骗类型');
    const cell = words.slice(from + 1, next);
    // Every county is there, in full, and the cell's last line ends above the next row's label.
    expect(cell.map((w) => w.text).join('')).toBe(counties.join('、'));
    expect(cell.length).toBeGreaterThan(1);
    expect(Math.max(...cell.map((w) => w.yMax))).toBeLessThan(words[next]!.yMin);
  });

  it('renders to an image (pdftoppm) with ink on the first page', async () => {
    const file = join(dir, 'render.pdf');
    writeFileSync(file, await casePackPdf(facts));
    execFileSync('pdftoppm', ['-r', '30', '-f', '1', '-l', '1', '-gray', file, join(dir, 'page')]);
    const pgm = readFileSync(join(dir, 'page-1.pgm'));
    const [, w, h] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 20).toString('latin1'))!;
    const pixels = pgm.subarray(pgm.length - Number(w) * Number(h));
    // Text, table rules and the chart's coloured bands (grey below white) cover a good part of the page.
    expect(pixels.filter((p) => p < 200).length / pixels.length).toBeGreaterThan(0.05);
  });

  it('says what the totals say', () => {
    expect(packTotals(facts)).toEqual({
      lossFen: 7_000_000,
      firstLayerFen: 7_000_000,
      heldFen: 7_000_000,
      stoppedFen: 5_500_000,
      frozenFen: 4_300_000,
      releasedFen: 0,
      returnedFen: 1_200_000,
    });
  });
});
