import { validateIdNumber } from '../validators/id-number.validator';

/** 高 / 中 / 低: how urgently a warning's person must be contacted. */
export const warningGrades = ['low', 'medium', 'high'] as const;
export type WarningGrade = (typeof warningGrades)[number];

export const warningGradeNamesZh: Record<WarningGrade, string> = { high: '高', medium: '中', low: '低' };

/** What the screened signal was: an operator's, a bank's, or an upstream centre's decided warning. */
export const signalKinds = [
  'bank_transfer',
  'call',
  'sms',
  'url_visit',
  'app_install',
  'upstream_warning',
] as const;
export type SignalKind = (typeof signalKinds)[number];

export function gradeRank(g: WarningGrade): number {
  return warningGrades.indexOf(g);
}

export function maxGrade(a: WarningGrade, b: WarningGrade): WarningGrade {
  return gradeRank(a) >= gradeRank(b) ? a : b;
}

export interface GradingInput {
  readonly signalKind: SignalKind;
  /** True when the indicator hit is a fraudster or mule account (涉案账户) and the signal a transfer to it. */
  readonly isTransferToKnownAccount: boolean;
  /** The indicator's strength: reports that name it and their losses, and when it was last reported. */
  readonly indicator: {
    readonly reportCount: number;
    readonly lossFen: number;
    readonly lastReportedAt: Date | null;
  };
  /** The amount of a bank transfer or payment attempt, if any. */
  readonly amountFen: number | null;
  /** Signals about this person in the last 24 hours, this one included. */
  readonly contactCount: number;
  readonly personIdNumber: string | null;
  /** An upstream centre's decided level, which screening never lowers. */
  readonly upstreamGrade: WarningGrade | null;
  readonly at: Date;
}

/** What counted in a warning's grade; the persuasion console names each for the officer. */
export const gradeFactors = [
  'transfer_to_known_account',
  'signal_kind',
  'reports',
  'losses',
  'recent',
  'stale',
  'amount',
  'repeated_contact',
  'elderly',
  'minor',
  'upstream',
] as const;
export type GradeFactor = (typeof gradeFactors)[number];

export interface Grading {
  readonly grade: WarningGrade;
  readonly score: number;
  /** Each factor that counted and its points, for the persuasion officer to read. */
  readonly factors: readonly { readonly factor: GradeFactor; readonly points: number }[];
}

// Points by signal kind: an app installed or a call taken shows more engagement than an SMS received.
const KIND_POINTS: Record<SignalKind, number> = {
  bank_transfer: 25,
  app_install: 30,
  call: 25,
  url_visit: 20,
  sms: 10,
  upstream_warning: 0,
};

export const HIGH_FROM = 60;
export const MEDIUM_FROM = 35;
const DAY = 86_400_000;

/** Whole years of age on `at` (China's calendar date), or null when the ID number is not valid. */
export function ageFromIdNumber(idNumber: string, at: Date): number | null {
  const id = validateIdNumber(idNumber, at);
  if (!id.ok) return null;
  const today = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [by, bm, bd] = id.value.birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * Grades a warning from points. The rules, in the order they count:
 * - a transfer to a known fraudster or mule account is 高 whatever else counts: the money is leaving now;
 * - otherwise the signal kind gives 10–30 points;
 * - the indicator: 2+ linked reports 10, 5+ 20; losses of ¥10,000+ 10, ¥100,000+ 15; reported in the
 *   last 7 days 10, 30 days 5; not reported for 180 days −10;
 * - the amount attempted: ¥5,000+ 10, ¥50,000+ 20;
 * - repeated contact within 24 hours: a 2nd signal 10, a 3rd or more 20;
 * - the person, from the ID number: 60 or older 10, under 18 10 (the most targeted ages);
 * - 60 points or more is 高, 35 or more 中, else 低; an upstream centre's level is a floor.
 */
export function gradeWarning(input: GradingInput): Grading {
  const factors: { factor: GradeFactor; points: number }[] = [];
  const add = (factor: GradeFactor, points: number) => {
    if (points !== 0) factors.push({ factor, points });
  };
  if (input.isTransferToKnownAccount) add('transfer_to_known_account', HIGH_FROM);
  else add('signal_kind', KIND_POINTS[input.signalKind]);

  const { reportCount, lossFen, lastReportedAt } = input.indicator;
  add('reports', reportCount >= 5 ? 20 : reportCount >= 2 ? 10 : 0);
  add('losses', lossFen >= 10_000_000 ? 15 : lossFen >= 1_000_000 ? 10 : 0);
  if (lastReportedAt) {
    const age = input.at.getTime() - lastReportedAt.getTime();
    add('recent', age <= 7 * DAY ? 10 : age <= 30 * DAY ? 5 : 0);
    add('stale', age > 180 * DAY ? -10 : 0);
  }
  const amount = input.amountFen ?? 0;
  add('amount', amount >= 5_000_000 ? 20 : amount >= 500_000 ? 10 : 0);
  add('repeated_contact', input.contactCount >= 3 ? 20 : input.contactCount === 2 ? 10 : 0);
  const age = input.personIdNumber ? ageFromIdNumber(input.personIdNumber, input.at) : null;
  if (age !== null) {
    add('elderly', age >= 60 ? 10 : 0);
    add('minor', age < 18 ? 10 : 0);
  }
  const score = factors.reduce((s, f) => s + f.points, 0);
  let grade: WarningGrade =
    input.isTransferToKnownAccount || score >= HIGH_FROM ? 'high' : score >= MEDIUM_FROM ? 'medium' : 'low';
  if (input.upstreamGrade && gradeRank(input.upstreamGrade) > gradeRank(grade)) {
    grade = input.upstreamGrade;
    factors.push({ factor: 'upstream', points: 0 });
  }
  return { grade, score, factors };
}
