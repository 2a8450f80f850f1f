import type { RiskLookupResult } from '@fanzha/contracts';
import {
  indicatorReasonMessagesZh,
  lookupKinds,
  normaliseLookup,
  type LookupKind,
  type PublicRiskLevel,
} from '@fanzha/domain';
import { reasonText, type Locale, type MessageKey } from '../../i18n';

/** The lookup page's logic, without React: what to check before asking, and how to show an answer. */

export const LOOKUP_KINDS: readonly LookupKind[] = lookupKinds;

export const kindLabelKey = (kind: LookupKind): MessageKey => `lookup.kind.${kind}`;
export const kindPlaceholderKey = (kind: LookupKind): MessageKey => `lookup.placeholder.${kind}`;

/**
 * The value checked here first, as the server will normalise it: a mistyped number is corrected without
 * spending the page's few lookups a minute. Returns the problem in the reader's language, or null.
 */
export function inputProblem(kind: LookupKind, value: string, locale: Locale): string | null {
  const normal = normaliseLookup(kind, value);
  if (normal.ok) return null;
  const zh = locale === 'zh-CN' ? indicatorReasonMessagesZh[normal.reason] : undefined;
  return zh ?? reasonText(locale, normal.reason, normal.message);
}

export interface LevelView {
  /** The alert's colour: red, amber, or neutral blue (no record is not green: it does not mean safe). */
  alertType: 'error' | 'warning' | 'info';
  titleKey: MessageKey;
  testId: string;
}

const levelViews: Record<PublicRiskLevel, LevelView> = {
  high_risk: { alertType: 'error', titleKey: 'lookup.level.high_risk', testId: 'lookup-high-risk' },
  suspicious: { alertType: 'warning', titleKey: 'lookup.level.suspicious', testId: 'lookup-suspicious' },
  no_record: { alertType: 'info', titleKey: 'lookup.level.no_record', testId: 'lookup-no-record' },
};

export const levelView = (level: PublicRiskLevel): LevelView => levelViews[level];

/** The answer's text in the reader's language: the headline, the steps in order, and the notice. */
export function answerText(
  result: RiskLookupResult,
  locale: Locale,
): { headline: string; steps: string[]; notice: string } {
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en';
  return {
    headline: result.advice.headline[lang],
    steps: result.advice.steps.map((s) => s[lang]),
    notice: result.notice[lang],
  };
}
