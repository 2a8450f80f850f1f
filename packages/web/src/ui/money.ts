/**
 * Money as the centre reads it: yuan with thousands separators (¥50,000.00). The API counts in fen
 * (integers), so conversion goes through strings, never through floating-point multiplication.
 */
const yuanFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  return `${sign}¥${yuanFormat.format(Math.abs(fen) / 100)}`;
}

/** "50,000" / "50000.5" / "¥1,234.56" → fen; undefined when it is not an amount (more than 2 decimals, letters…). */
export function parseYuanToFen(text: string): number | undefined {
  const cleaned = text.replace(/[\s,，¥￥元]/g, '');
  const match = /^(\d{1,11})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + cents;
}

/** Fen back to what one types: "50000", "1234.50". */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0')}`;
}
