import type { WallTickerItem } from '@fanzha/contracts';
import { countyLabel, fraudTypeCodes, fraudTypeOf, type FraudTypeCode } from '@fanzha/domain';
import type { Locale } from '../../i18n';

/**
 * Numbers as a wall shows them: big, short, exact enough to read across a room. Amounts arrive in fen;
 * in Chinese they read in 万 and 亿 (as the centre reports them), in English in k, M and B.
 */
export interface Shown {
  value: string;
  unit: string;
}

const grouped = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatCount(n: number): string {
  return grouped(n, 0);
}

export function compactYuan(fen: number, locale: Locale): Shown {
  const yuan = fen / 100;
  const steps =
    locale === 'zh-CN'
      ? [
          { at: 1e8, unit: '亿元' },
          { at: 1e4, unit: '万元' },
        ]
      : [
          { at: 1e9, unit: 'B' },
          { at: 1e6, unit: 'M' },
          { at: 1e3, unit: 'k' },
        ];
  const step = steps.find((s) => yuan >= s.at);
  if (!step)
    return {
      value: `${locale === 'zh-CN' ? '' : '¥'}${grouped(Math.round(yuan), 0)}`,
      unit: locale === 'zh-CN' ? '元' : '',
    };
  const scaled = yuan / step.at;
  const value = grouped(scaled, scaled >= 100 ? 0 : 2);
  return locale === 'zh-CN' ? { value, unit: step.unit } : { value: `¥${value}`, unit: step.unit };
}

export const shownText = (s: Shown) => `${s.value}${s.unit}`;

export function formatSeconds(s: number | null, locale: Locale): string {
  if (s === null) return '—';
  const n = Math.round(s);
  return locale === 'zh-CN' ? `${n} 秒` : `${n} s`;
}

/** Time left until `until`, in hours and minutes: "5 小时 12 分" / "5 h 12 min". */
export function formatLeft(until: Date, now: Date, locale: Locale): string {
  const minutes = Math.max(0, Math.floor((until.getTime() - now.getTime()) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (locale === 'zh-CN') return h > 0 ? `${h} 小时 ${m} 分` : `${m} 分`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

const isFraudType = (code: string): code is FraudTypeCode =>
  (fraudTypeCodes as readonly string[]).includes(code);

/** A fraud type's name as the room says it ("刷单返利"), or the English name. */
export function fraudTypeName(code: string | null, locale: Locale, unknown: string): string {
  if (!code || !isFraudType(code)) return unknown;
  const type = fraudTypeOf(code);
  return locale === 'zh-CN' ? type.nameZh.replace(/类?诈骗$/, '') : type.nameEn;
}

const KIND_EN: Record<WallTickerItem['kind'], string> = {
  received: 'new report',
  stopped: 'stopped',
  frozen: 'frozen',
  returned: 'returned',
};

/** The ticker line: the server's Chinese text, or the same facts in English (place names stay Chinese). */
export function tickerLine(item: WallTickerItem, locale: Locale): string {
  if (locale === 'zh-CN') return item.text;
  const yuan = (fen: number) => `¥${grouped(Math.round(fen / 100), 0)}`;
  const parts = [
    (item.countyCode && countyLabel(item.countyCode)) || 'county pending',
    fraudTypeName(item.fraudType, locale, 'type pending'),
    yuan(item.lossFen),
  ];
  if (item.kind === 'received' && item.stoppedFen === 0) parts.push(KIND_EN.received);
  if (item.stoppedFen > 0) parts.push(`${KIND_EN.stopped} ${yuan(item.stoppedFen)}`);
  if (item.frozenFen > 0) parts.push(`${KIND_EN.frozen} ${yuan(item.frozenFen)}`);
  if (item.returnedFen > 0) parts.push(`${KIND_EN.returned} ${yuan(item.returnedFen)}`);
  return parts.join(' · ');
}
