import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type PDFDocument from 'pdfkit';

/**
 * The A4 layout that fanzha's Chinese PDFs share (period reports, case packs): the embedded font, the
 * margins, section headings and ruled tables, drawn with pdfkit.
 */
export type Doc = InstanceType<typeof PDFDocument>;

export const LEFT = 50;
export const WIDTH = 495;
export const BOTTOM = 780;

let font: Buffer | undefined;
/** Noto Sans SC from the `@embedpdf/fonts-sc` package (embedded as a subset — never a system font). */
export function chineseFont(): Buffer {
  if (!font) {
    const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
    font = readFileSync(join(dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf'));
  }
  return font;
}

/** A new page when `height` more points would run past the bottom margin. */
export function ensure(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

export function heading(doc: Doc, text: string): void {
  ensure(doc, 60);
  doc.moveDown(0.6).fontSize(13).fillColor('#1f3a68').text(text, LEFT, doc.y).moveDown(0.3).fillColor('#000');
}

/** A cell's text never runs past this many lines (the rest cut with an ellipsis): a row stays on its page. */
const MAX_CELL_LINES = 6;

/**
 * A table with a header row in colour and a rule under each row. A cell longer than its column wraps (up to
 * six lines, the rest cut with an ellipsis) and its row grows to fit, so a long cell never runs over the next
 * row — a gang's list of counties or fraud types is read in full. A row of one-line cells is 17 points.
 */
export function table(doc: Doc, headers: string[], widths: number[], rows: string[][]): void {
  const line = (cells: string[], isHeader: boolean) => {
    doc.fontSize(9);
    const oneLine = doc.heightOfString('字');
    const tallest = Math.max(
      oneLine,
      ...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 4 })),
    );
    const textHeight = Math.min(tallest, oneLine * MAX_CELL_LINES);
    const height = 12 + textHeight - oneLine;
    ensure(doc, height + 6);
    const y = doc.y;
    let x = LEFT;
    doc.fillColor(isHeader ? '#1f3a68' : '#000');
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y, { width: widths[i]! - 4, height: textHeight, ellipsis: true });
      x += widths[i]!;
    });
    doc
      .moveTo(LEFT, y + height + 2)
      .lineTo(LEFT + WIDTH, y + height + 2)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.y = y + height + 5;
  };
  line(headers, true);
  for (const r of rows) line(r, false);
  doc.fillColor('#000');
}
