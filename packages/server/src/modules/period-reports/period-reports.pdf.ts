import type { PeriodReportFigures } from '@fanzha/contracts';
import PDFDocument from 'pdfkit';
import {
  chineseFont,
  ensure,
  heading,
  LEFT,
  table,
  WIDTH,
  type Doc,
} from '../../platform/documents/pdf-layout';
import type { ReportMeta } from './period-reports.xlsx';

/**
 * The PDF of a report: A4, Noto Sans SC (from the `@embedpdf/fonts-sc` package, embedded as a subset of
 * the glyphs used — never a system font), the figures as tables and the counties and fraud types as vector
 * bar charts. `CreationDate` is the report's own time, so the same figures give the same file.
 */

const yuan = (fen: number) =>
  `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (n: number, d: number) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);
const num = (v: number | null, unit = '') =>
  v === null ? '尚未接入' : `${v.toLocaleString('en-US')}${unit}`;

/** Horizontal bars, one per item (the first `max`), drawn as vector rectangles. */
function bars(doc: Doc, title: string, items: Array<{ label: string; value: number }>, max = 15): void {
  const shown = items.slice(0, max);
  if (shown.length === 0) return;
  const rowH = 16;
  ensure(doc, 24 + shown.length * rowH);
  doc.fontSize(10).fillColor('#333').text(title, LEFT, doc.y);
  const top = doc.y + 4;
  const peak = Math.max(1, ...shown.map((i) => i.value));
  const labelW = 150;
  const barW = WIDTH - labelW - 60;
  shown.forEach((item, i) => {
    const y = top + i * rowH;
    doc
      .fontSize(8)
      .fillColor('#000')
      .text(item.label, LEFT, y + 2, { width: labelW - 6, lineBreak: false, ellipsis: true });
    doc.rect(LEFT + labelW, y + 2, Math.max(1, (item.value / peak) * barW), rowH - 5).fill('#3b6fd8');
    doc.fillColor('#000').text(String(item.value), LEFT + labelW + barW + 6, y + 2, { lineBreak: false });
  });
  doc.y = top + shown.length * rowH + 4;
}

export function reportPdf(f: PeriodReportFigures, meta: ReportMeta): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: { Title: meta.title, Creator: 'fanzha', Producer: 'fanzha', CreationDate: meta.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('sc', chineseFont());
  doc.font('sc');

  doc.fontSize(18).fillColor('#1f3a68').text(meta.title, LEFT, 50);
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(
      `范围：${meta.scope}\u3000统计期（北京时间）：${meta.from} 至 ${meta.lastDay}\u3000生成：${meta.createdAt.toISOString()}`,
    );

  const s = f.summary;
  heading(doc, '一、概况');
  table(
    doc,
    ['指标', '数值'],
    [250, 245],
    [
      ['接警数', num(s.reports, ' 起')],
      ['损失金额', yuan(s.lossFen)],
      ['止付账户数', num(s.stoppedAccounts, ' 户')],
      ['止付金额', yuan(s.stoppedFen)],
      ['冻结金额', yuan(s.frozenFen)],
      ['返还金额', yuan(s.returnedFen)],
      ['止付金额占损失比', pct(s.stoppedFen, s.lossFen)],
      ['预警', num(s.warnings, ' 人次')],
      ['劝阻', num(s.persuasions, ' 起')],
      ['技术反制', '尚未接入'],
    ],
  );

  const c = f.clock;
  heading(doc, '二、三分钟时钟（接警至首个止付结果）');
  table(
    doc,
    ['接警数', '已有止付结果', `${c.targetS} 秒内`, '达标率', '中位用时（秒）', 'P90（秒）'],
    [80, 85, 80, 80, 90, 80],
    [
      [
        String(c.reports),
        String(c.reached),
        String(c.withinTarget),
        pct(c.withinTarget, c.reports),
        String(c.medianS ?? '—'),
        String(c.p90S ?? '—'),
      ],
    ],
  );

  heading(doc, '三、县区警情');
  bars(
    doc,
    '接警数（前 15 个县区）',
    f.counties.map((r) => ({ label: r.name, value: r.reports })),
  );
  table(
    doc,
    ['县区', '接警数', '损失金额'],
    [250, 100, 145],
    f.counties.map((r) => [r.name, String(r.reports), yuan(r.lossFen)]),
  );

  if (f.fraudTypes.length > 0) {
    heading(doc, '四、诈骗类型');
    bars(
      doc,
      '接警数（按诈骗类型）',
      f.fraudTypes.map((r) => ({ label: r.name, value: r.reports })),
    );
    table(
      doc,
      ['类型', '接警数', '损失金额'],
      [250, 100, 145],
      f.fraudTypes.map((r) => [r.name, String(r.reports), yuan(r.lossFen)]),
    );
  }

  heading(doc, '五、银行榜（止付答复）');
  table(
    doc,
    ['银行', '答复数', '止付成功', `${f.bankTargetS / 60} 分钟内`, '及时率', '中位用时（秒）'],
    [165, 60, 60, 70, 60, 80],
    f.banks.map((b) => [
      b.bankName,
      String(b.answered),
      String(b.stopped),
      String(b.inTime),
      pct(b.inTime, b.answered),
      String(b.medianS ?? '—'),
    ]),
  );

  heading(doc, '六、县区榜（属地推送）');
  table(
    doc,
    ['县区', '推送数', '按时签收', '按时签收率', '超期'],
    [195, 70, 80, 80, 70],
    f.countyLeague.map((t) => [
      t.name,
      String(t.handOffs),
      String(t.acceptedInTime),
      pct(t.acceptedInTime, t.handOffs),
      String(t.overdue),
    ]),
  );

  heading(doc, '七、督办');
  table(
    doc,
    ['事项', '数值'],
    [250, 245],
    [
      ['属地推送超期', num(f.overdue.countyTasks, ' 件')],
      ['统一任务队列超期', num(f.overdue.taskQueue, ' 件')],
      ...(f.taskQueue?.overdueByKind ?? []).map((k) => [`\u3000其中 ${k.name}`, num(k.overdue, ' 件')]),
    ],
  );
  const unitKindZh = { county: '县区', bank: '银行', operator: '运营商' } as const;
  for (const l of f.taskQueue?.leagues ?? []) {
    if (l.units.length === 0) continue;
    heading(doc, `督办任务榜（${unitKindZh[l.unitKind]}）`);
    table(
      doc,
      ['单位', '期内到期', '按时办结', '按时率', '中位用时（秒）', '当前超期'],
      [165, 60, 60, 60, 80, 70],
      l.units.map((u) => [
        u.name,
        String(u.due),
        String(u.doneOnTime),
        pct(u.doneOnTime, u.due),
        u.medianDoneS === null ? '—' : String(Math.round(u.medianDoneS)),
        String(u.overdueOpen),
      ]),
    );
  }

  const cb = f.callbacks;
  heading(doc, '八、回访');
  table(
    doc,
    ['回访类型', '应回访', '已结束', '接通', '接通率', '平均满意度', '投诉'],
    [105, 60, 60, 60, 65, 80, 65],
    cb
      ? [...cb.byKind, { ...cb.all, name: '合计' }].map((k) => [
          k.name,
          String(k.scheduled),
          String(k.closed),
          String(k.reached),
          pct(k.reached, k.closed),
          k.meanSatisfaction === null ? '—' : k.meanSatisfaction.toFixed(2),
          String(k.complaints),
        ])
      : [['尚未接入', '', '', '', '', '', '']],
  );

  doc.end();
  return done;
}
