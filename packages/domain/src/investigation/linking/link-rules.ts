/**
 * Case linking (串并案): reports are linked when they name the same fraud indicator — a fraudster's phone, a
 * URL's domain, an app, a social account, a mule account or a device — and the linked reports form a cluster
 * (a gang's work). Pure: the server's linker plans each new report with `planLink` against the reports that
 * already share its values, and `linkAll` is the same rule over a whole set (tests, a rebuild).
 */

/** What a shared value may be. `account` covers the payee accounts of a report and the onward (mule) accounts of banks' answers. */
export const linkKinds = ['phone', 'domain', 'app', 'social', 'account', 'device'] as const;
export type LinkKind = (typeof linkKinds)[number];

export const linkKindNamesZh: Record<LinkKind, string> = {
  phone: '涉诈电话',
  domain: '涉诈网址',
  app: '涉诈APP',
  social: '涉诈社交账号',
  account: '涉诈账户',
  device: '涉诈设备',
};

/** One normalised value a report named (the normal forms are the indicators module's). */
export interface LinkValue {
  kind: LinkKind;
  value: string;
}

/** A report and the values it named. */
export interface ReportValues {
  reportId: string;
  values: readonly LinkValue[];
}

/**
 * One link between two reports with its evidence: the value both named. Two reports sharing two values have
 * two links. `a` < `b`, so a link has one spelling.
 */
export interface ReportLink {
  a: string;
  b: string;
  kind: LinkKind;
  value: string;
}

export const valueKey = (v: LinkValue): string => `${v.kind}:${v.value}`;

/** The link between two reports over a value, spelled once (`a` < `b`); undefined for a report and itself. */
export function linkOf(x: string, y: string, v: LinkValue): ReportLink | undefined {
  if (x === y) return undefined;
  return x < y ? { a: x, b: y, kind: v.kind, value: v.value } : { a: y, b: x, kind: v.kind, value: v.value };
}

export const linkKey = (l: ReportLink): string => `${l.a}|${l.b}|${l.kind}:${l.value}`;

/**
 * The over-shared guard: a value named by more than `sharedLimit` reports (FANZHA_INDICATOR_SHARED_REPORTS) is
 * a bank's customer-service number, a popular app, a payment platform's domain — not a gang's; it links nothing.
 */
export function isOverShared(reportsNaming: number, sharedLimit: number): boolean {
  return reportsNaming > sharedLimit;
}

/** Drops repeats of one value and values of no kind this rule knows. */
export function distinctValues(values: readonly LinkValue[]): LinkValue[] {
  const seen = new Set<string>();
  const out: LinkValue[] = [];
  for (const v of values) {
    if (!(linkKinds as readonly string[]).includes(v.kind) || v.value === '') continue;
    const k = valueKey(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ kind: v.kind, value: v.value });
  }
  return out;
}
