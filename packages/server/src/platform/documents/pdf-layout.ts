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

/** A table of one-line cells (cut with an ellipsis), a header row in colour, a rule under each row. */
export function table(doc: Doc, headers: string[], widths: number[], rows: string[][]): void {
  const line = (cells: string[], isHeader: boolean) => {
    ensure(doc, 18);
    const y = doc.y;
    let x = LEFT;
    doc.fontSize(9).fillColor(isHeader ? '#1f3a68' : '#000');
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y, { width: widths[i]! - 4, lineBreak: false, ellipsis: true });
      x += widths[i]!;
    });
    doc
      .moveTo(LEFT, y + 14)
      .lineTo(LEFT + WIDTH, y + 14)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.y = y + 17;
  };
  line(headers, true);
  for (const r of rows) line(r, false);
  doc.fillColor('#000');
}
