import type { IndicatorKind } from '../indicators/indicator-kind';

/**
 * The kinds of countermeasure (技术反制) and who executes each: a telecom operator blocks a number (关停号码),
 * takes down a URL or domain as the ISP (封堵网址) and blocks an app on its network (拦截APP); a bank restricts
 * an account or card (限制账户).
 */
export const countermeasureKinds = ['block_phone', 'takedown_url', 'block_app', 'restrict_account'] as const;
export type CountermeasureKind = (typeof countermeasureKinds)[number];

export type CountermeasurePartyKind = 'operator' | 'bank';

export const partyKindOf: Record<CountermeasureKind, CountermeasurePartyKind> = {
  block_phone: 'operator',
  takedown_url: 'operator',
  block_app: 'operator',
  restrict_account: 'bank',
};

/** The indicator kind each countermeasure acts on (see the indicators registry). */
export const indicatorKindOf: Record<CountermeasureKind, IndicatorKind> = {
  block_phone: 'phone',
  takedown_url: 'domain',
  block_app: 'app',
  restrict_account: 'account',
};

export const countermeasureKindNamesZh: Record<CountermeasureKind, string> = {
  block_phone: '关停号码',
  takedown_url: '封堵网址',
  block_app: '拦截APP',
  restrict_account: '限制账户',
};

/** Hours each kind may wait on its party before the SLA is missed (the defaults; config.ts may change them). */
export type CountermeasureSla = Record<CountermeasureKind, number>;
export const defaultCountermeasureSlaHours: CountermeasureSla = {
  block_phone: 2,
  takedown_url: 24,
  block_app: 24,
  restrict_account: 1,
};

/** When a countermeasure waiting since `since` is due. Pure. */
export function countermeasureDueAt(kind: CountermeasureKind, since: Date, sla: CountermeasureSla): Date {
  return new Date(since.getTime() + sla[kind] * 3_600_000);
}

/** The median of durations (ms), or null for none: the "median time to execute" of a party. */
export function medianMs(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
