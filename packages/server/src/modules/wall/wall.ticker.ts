import type { WallTickerItem } from '@fanzha/contracts';
import { findDivision, fraudTypeCodes, fraudTypeOf, type FraudTypeCode } from '@fanzha/domain';

export type TickerLine = Omit<WallTickerItem, 'id' | 'text'>;

const yuan = (fen: number) => `¥${Math.round(fen / 100).toLocaleString('en-US')}`;

const isFraudType = (code: string): code is FraudTypeCode =>
  (fraudTypeCodes as readonly string[]).includes(code);

/** "贵阳市南明区", "黔西南州兴义市": the prefecture's common short form, then the county. */
export function countyShortLabel(code: string | null): string | undefined {
  const county = code ? findDivision(code) : undefined;
  if (!county) return undefined;
  const prefecture = county.parentCode ? findDivision(county.parentCode) : undefined;
  return county.level === 'county' ? `${prefecture?.shortName ?? ''}${county.name}` : county.shortName;
}

/** The type's short name, as said in the room: "虚假征信", not "虚假征信类诈骗". */
export function fraudTypeShort(code: string | null): string {
  if (!code || !isFraudType(code)) return '类型待定';
  return fraudTypeOf(code).nameZh.replace(/类?诈骗$/, '');
}

/**
 * The ticker's text, from a county, a fraud type and amounts only — nothing that names a person or an
 * account can reach it, e.g. "贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000".
 */
export function tickerText(line: TickerLine): string {
  const parts = [
    countyShortLabel(line.countyCode) ?? '属地待定',
    fraudTypeShort(line.fraudType),
    yuan(line.lossFen),
  ];
  if (line.kind === 'received' && line.stoppedFen === 0) parts.push('新警情');
  if (line.stoppedFen > 0) parts.push(`已止付 ${yuan(line.stoppedFen)}`);
  if (line.frozenFen > 0) parts.push(`已冻结 ${yuan(line.frozenFen)}`);
  if (line.returnedFen > 0) parts.push(`已返还 ${yuan(line.returnedFen)}`);
  return parts.join(' · ');
}
