import type ExcelJS from 'exceljs';

/**
 * The sheet shape that fanzha's workbooks share (period reports, case packs): a frozen, bold header row,
 * column widths and number formats, and totals as real SUM formulas with their values cached, so a reader
 * that does not calculate still shows them.
 */
export const YUAN = '¥#,##0.00';

export type Cell = string | number | null | { formula: string; result: number | string };

export interface SheetSpec {
  name: string;
  columns: Array<{ header: string; width: number; numFmt?: string }>;
  rows: Cell[][];
}

/** A sheet from its spec; a `null` cell is written as `nullAs` (e.g. 尚未接入 for a figure not connected). */
export function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec, nullAs = ''): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of spec.rows) ws.addRow(r.map((v) => (v === null ? nullAs : v)));
  return ws;
}

/**
 * A `合计` row under `n` data rows: SUM formulas in the given columns, values cached. With no data rows it
 * writes zeros (`empty: 'zeros'`) or no row at all (`empty: 'none'`).
 */
export function totalsRow(
  ws: ExcelJS.Worksheet,
  n: number,
  sums: Array<{ col: string; value: number }>,
  empty: 'zeros' | 'none',
): void {
  if (n === 0 && empty === 'none') return;
  const row = ws.addRow([]);
  row.getCell(1).value = '合计';
  for (const s of sums)
    ws.getCell(`${s.col}${row.number}`).value =
      n === 0 ? 0 : { formula: `SUM(${s.col}2:${s.col}${n + 1})`, result: s.value };
  row.font = { bold: true };
}
