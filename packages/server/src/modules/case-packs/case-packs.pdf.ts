import PDFDocument from 'pdfkit';
import { chineseFont, ensure, heading, LEFT, table } from '../../platform/documents/pdf-layout';
import SVGtoPDF from 'svg-to-pdfkit';
import { CHART_WIDTH, flowChartSvg } from './case-packs.chart';
import {
  chinaTime,
  measureKindZh,
  packTotals,
  ruleZh,
  yuanText,
  type CasePackFacts,
  type MeasureKind,
} from './case-packs.facts';

/**
 * The PDF summary of a case pack: A4, Noto Sans SC (from `@embedpdf/fonts-sc`, embedded as a subset — never
 * a system font), the cluster's figures, the money-flow chart (ECharts rendered to SVG on the server and drawn
 * as vectors), the accounts by layer and the measures taken. `CreationDate` is the pack's own time, so the
 * same facts give the same file.
 */

/** The accounts table lists the largest holdings; the workbook has every account. */
export const PDF_ACCOUNTS = 40;

export function casePackPdf(f: CasePackFacts): Promise<Buffer> {
  const title = `串并案件材料包 ${f.cluster.label}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: { Title: title, Creator: 'fanzha', Producer: 'fanzha', CreationDate: f.generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('sc', chineseFont());
  doc.font('sc');

  const c = f.cluster;
  const t = packTotals(f);
  doc.fontSize(18).fillColor('#1f3a68').text(title, LEFT, 50);
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(`案件编号：${c.id}\u3000生成（北京时间）：${chinaTime(f.generatedAt)}\u3000供侦查、起诉参考`);

  heading(doc, '一、案件概况');
  table(
    doc,
    ['项目', '内容'],
    [150, 345],
    [
      ['状态', c.status],
      ['报案数', `${c.reports} 起`],
      ['受害人数', `${c.victims} 人`],
      ['损失金额', yuanText(t.lossFen)],
      ['涉及县区', c.counties.join('、') || '—'],
      ['诈骗类型', c.fraudTypes.join('、') || '—'],
      ['时间跨度', `${chinaTime(c.firstAt)} 至 ${chinaTime(c.lastAt)}`],
      ['涉案账户', `${f.accounts.length} 户，最深第 ${Math.max(0, ...f.accounts.map((a) => a.layer))} 层`],
      ['第一层流入', yuanText(t.firstLayerFen)],
      ['止付金额', yuanText(t.stoppedFen)],
      ['冻结金额', yuanText(t.frozenFen)],
      ['返还金额', yuanText(t.returnedFen)],
      ['分配规则', ruleZh[f.rule] + (f.isTruncated ? '（追踪达到层数或枢纽账户上限，已截断）' : '')],
    ],
  );
  if (c.indicators.length > 0) {
    heading(doc, '二、共用线索（串并依据）');
    table(
      doc,
      ['类型', '线索', '涉及报案'],
      [100, 315, 80],
      c.indicators.slice(0, 20).map((i) => [i.kind, i.value, `${i.reports} 起`]),
    );
  }

  heading(doc, '三、资金流向图');
  const chart = flowChartSvg(f);
  const chartH = chart.height;
  if (f.transfers.length === 0) doc.fontSize(9).text('尚无追踪到的资金流水。', LEFT, doc.y);
  else {
    ensure(doc, chartH + 20);
    const top = doc.y;
    SVGtoPDF(doc, chart.svg, LEFT, top, {
      width: CHART_WIDTH,
      height: chartH,
      assumePt: true,
      fontCallback: () => 'sc',
      warningCallback: () => undefined,
    });
    // Drawing the SVG's text moves the cursor: put it back under the chart.
    doc.font('sc');
    doc.y = top + chartH + 4;
    doc
      .fontSize(8)
      .fillColor('#555')
      .text(
        `按${ruleZh[f.rule]}规则分配受害资金${chart.omitted > 0 ? `；另有 ${chart.omitted} 笔较小资金流未画出，见工作簿“资金流水”` : ''}。`,
        LEFT,
        doc.y,
      )
      .fillColor('#000');
  }

  heading(doc, '四、账户分层（应留存受害资金最多者）');
  const accounts = [...f.accounts]
    .sort((a, b) => b.heldFen - a.heldFen || a.layer - b.layer)
    .slice(0, PDF_ACCOUNTS)
    .sort((a, b) => a.layer - b.layer || b.heldFen - a.heldFen);
  table(
    doc,
    ['层级', '银行', '账号', '流入', '应留存', '留存来源'],
    [35, 90, 140, 85, 85, 60],
    accounts.map((a) => [
      String(a.layer),
      a.bankName ?? a.bankCode,
      a.number,
      yuanText(a.receivedFen),
      yuanText(a.heldFen),
      a.sources === null ? '—' : `${a.sources} 人`,
    ]),
  );

  heading(doc, '五、处置措施');
  const kinds: MeasureKind[] = ['stop', 'freeze', 'release', 'return'];
  table(
    doc,
    ['措施', '笔数', '金额'],
    [165, 165, 165],
    kinds.map((k) => {
      const ms = f.measures.filter((m) => m.kind === k);
      return [measureKindZh[k], `${ms.length} 笔`, yuanText(ms.reduce((a, m) => a + m.effectiveFen, 0))];
    }),
  );

  heading(doc, '六、报案');
  table(
    doc,
    ['报案编号', '接警时间', '县区', '诈骗类型', '损失金额'],
    [105, 90, 90, 120, 90],
    f.reports.map((r) => [r.number, chinaTime(r.receivedAt), r.county, r.fraudType, yuanText(r.lossFen)]),
  );

  doc.end();
  return done;
}
