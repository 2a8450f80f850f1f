import type { Validation } from '../validators/result';
import type { IndicatorKind } from './indicator-kind';
import { normaliseIndicator } from './indicator-kind';
import { indicatorScoreRules, riskLevelOfScore, scoreAt, type ScoreState } from './indicator-score';
import type { IndicatorRiskLevel, IndicatorStatus } from './indicator-snapshot';

/**
 * What the public and banks may look up: a phone number, a URL (or a bare domain) and a bank account or card.
 * A URL is looked up by its registrable domain, the form the registry keys sites by.
 */
export const lookupKinds = ['phone', 'url', 'account'] as const;
export type LookupKind = (typeof lookupKinds)[number];

const registryKind: Record<LookupKind, IndicatorKind> = { phone: 'phone', url: 'domain', account: 'account' };

/** The registry's kind for a lookup's kind. */
export const indicatorKindOfLookup = (kind: LookupKind): IndicatorKind => registryKind[kind];

/** The normal form a lookup searches for, exactly as the registry writes it (no prefix, no wildcard). */
export function normaliseLookup(kind: LookupKind, value: string): Validation<string> {
  return normaliseIndicator(registryKind[kind], value);
}

/**
 * The coarse level the public and banks are told, never the registry's own figures:
 * - `high_risk`: an active indicator the registry judges high at this moment (its score, decayed to now,
 *   30 or more; or a partner's high risk it imported);
 * - `suspicious`: any other active indicator (its score has faded to medium or low, but it is on record and
 *   still screened), or a value many unrelated reports share (pending an analyst);
 * - `no_record`: nothing known against it, a number reassigned to a new holder, or a value an analyst
 *   cleared — which does not mean it is safe.
 */
export const publicRiskLevels = ['high_risk', 'suspicious', 'no_record'] as const;
export type PublicRiskLevel = (typeof publicRiskLevels)[number];

/**
 * Why, as a code for banks' systems (the public page shows the level only):
 * - `reported_high_risk`: its risk score, decayed to now, is high — named recently by several reports or
 *   bank answers, or with large losses (high_risk);
 * - `reported`: named by a report or a bank's answer, its score now medium or low (suspicious);
 * - `shared_value`: named by many unrelated reports, such as a hotline or a payment gateway, and not yet
 *   decided by an analyst (suspicious, never high);
 * - `reassigned`: a number its operator reported as reassigned to someone else (no_record);
 * - `cleared`: an analyst decided it is not fraud (no_record);
 * - `not_found`: the registry does not hold it (no_record).
 */
export const publicRiskReasons = [
  'reported_high_risk',
  'reported',
  'shared_value',
  'reassigned',
  'cleared',
  'not_found',
] as const;
export type PublicRiskReason = (typeof publicRiskReasons)[number];

/**
 * What the level is judged on: an indicator's status, level and risk score as the registry keeps them (a
 * merged value's survivor's, when the read resolved the merge), or undefined when the registry lacks it.
 */
export interface PublicRiskRecord {
  readonly status: IndicatorStatus;
  /** The registry's level as last written (by a source, an import or the regrading sweep). */
  readonly level: IndicatorRiskLevel;
  /** The score as last computed, at the latest source's time (`risk_score`, `scored_at`). */
  readonly score: ScoreState;
  /** When the level next drops (`regrade_at`); null: it is not due to drop. */
  readonly regradeAt: Date | null;
}

export interface PublicRisk {
  readonly level: PublicRiskLevel;
  readonly reason: PublicRiskReason;
}

/**
 * The registry's level of an indicator at `now`: its level as written, or — once its drop is due and the
 * regrading sweep has not come by yet — the level of its score decayed to `now`, which is what the sweep
 * will write. So the answer drops exactly when the registry's level does, without waiting for the sweep,
 * and keeps what the registry keeps (a partner's higher risk from an import, until the registry regrades).
 */
export function registryLevelAt(
  record: Pick<PublicRiskRecord, 'level' | 'score' | 'regradeAt'>,
  now: Date,
  halfLifeDays: number,
): IndicatorRiskLevel {
  return record.regradeAt !== null && record.regradeAt <= now
    ? riskLevelOfScore(scoreAt(record.score, now, halfLifeDays))
    : record.level;
}

/**
 * The level of a looked-up value at `now`: an active indicator says high risk when the registry's level at
 * that moment is high (`registryLevelAt`, the score decaying with the half-life
 * `FANZHA_INDICATOR_HALF_LIFE_DAYS` and rising when it is named again), suspicious otherwise. A suspended
 * (reassigned) number and a cleared one say no record: the person who holds the number now is not the
 * fraudster. A shared value is at most suspicious, whatever its score: it is kept out of automatic measures
 * until an analyst decides, and telling the public that a bank's hotline is high risk would send them away
 * from real help. A merged value is read as its survivor (the read resolves it); a record still `merged`
 * here has no survivor to speak for it and says no record.
 */
export function publicRiskOf(
  record: PublicRiskRecord | undefined,
  now: Date,
  halfLifeDays: number = indicatorScoreRules.defaultHalfLifeDays,
): PublicRisk {
  if (!record) return { level: 'no_record', reason: 'not_found' };
  switch (record.status) {
    case 'suspended':
      return { level: 'no_record', reason: 'reassigned' };
    case 'not_fraud':
      return { level: 'no_record', reason: 'cleared' };
    case 'merged':
      return { level: 'no_record', reason: 'not_found' };
    case 'shared':
      return { level: 'suspicious', reason: 'shared_value' };
    case 'active':
      return registryLevelAt(record, now, halfLifeDays) === 'high'
        ? { level: 'high_risk', reason: 'reported_high_risk' }
        : { level: 'suspicious', reason: 'reported' };
  }
}

/** Text in the two languages the lookup answers in. */
export interface BilingualText {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** The words every answer carries, whatever the level. */
export const noRecordNotice: BilingualText = {
  'zh-CN': '没有记录不代表安全。',
  en: 'No record does not mean safe.',
};

/** The anti-fraud hotline (全国反诈专线). */
export const ANTI_FRAUD_HOTLINE = '96110';

export interface PublicRiskAdvice {
  readonly headline: BilingualText;
  /** What to do next, in order. */
  readonly steps: readonly BilingualText[];
}

const stopPaying: BilingualText = {
  'zh-CN': '不要转账、付款，不要告诉对方验证码或密码。',
  en: 'Do not transfer or pay, and never give anyone a verification code or password.',
};
const callHotline: BilingualText = {
  'zh-CN': `拨打 ${ANTI_FRAUD_HOTLINE} 反诈专线咨询核实。`,
  en: `Call the anti-fraud hotline ${ANTI_FRAUD_HOTLINE} to check.`,
};
const ifPaid: BilingualText = {
  'zh-CN': '如果已经转账，立即拨打 110 报警，并联系银行。',
  en: 'If you have already paid, call 110 at once and contact your bank.',
};
const report: BilingualText = {
  'zh-CN': '向反诈中心举报这个号码、网址或账户。',
  en: 'Report the number, site or account to the anti-fraud centre.',
};

/** What to do next for each level. */
export const publicRiskAdvice: Record<PublicRiskLevel, PublicRiskAdvice> = {
  high_risk: {
    headline: {
      'zh-CN': '高风险：近期被举报涉嫌诈骗。',
      en: 'High risk: recently reported for fraud.',
    },
    steps: [
      stopPaying,
      {
        'zh-CN': '挂断电话，不要点击链接，不要下载对方提供的应用。',
        en: 'Hang up, do not open links and do not install any app you are sent.',
      },
      ifPaid,
      callHotline,
      report,
    ],
  },
  suspicious: {
    headline: {
      'zh-CN': '可疑：曾被举报或与涉诈线索有关。',
      en: 'Suspicious: it has been reported or linked to fraud.',
    },
    steps: [
      stopPaying,
      callHotline,
      {
        'zh-CN': '通过官方渠道（官网、官方客服电话）核实对方身份。',
        en: 'Check who they are through official channels (the official site or customer service number).',
      },
      report,
    ],
  },
  no_record: {
    headline: {
      'zh-CN': '暂无记录。没有记录不代表安全。',
      en: 'No record. No record does not mean safe.',
    },
    steps: [
      {
        'zh-CN': '凡是要求转账、刷单、提供验证码或下载应用的，都可能是诈骗。',
        en: 'Anyone asking you to transfer money, do paid tasks, give a code or install an app may be a fraudster.',
      },
      callHotline,
      report,
    ],
  },
};
