import { countyPopulations } from './population';
import { clamp, rngFor, type Rng, type Seed } from './rng';

/**
 * What the case officers do after the stop, decided from the seed and stable ids alone (pure): whether a
 * county accepts its task (签收), answers it (反馈), transfers it (移交) or leaves it; whether a stopped
 * account is frozen (冻结) and its money returned (资金返还), and when, in simulation time.
 *
 * The clock is compressed on purpose (our choice, for the demo): what takes officers hours takes the
 * robots minutes, so a demo shows a case's whole life — a freeze renewed minutes after it took effect, for
 * one. Accepting stays within the 30-minute deadline, answering within 24 hours, freezing long before the
 * 48-hour lapse. A few tasks are left unaccepted, so overdue hand-offs and escalations exist too; how the
 * banks carry out the measures (in part, late, not at all) is theirs to decide (bank-measures.ts).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Shares (our estimates, for the demo). */
export const caseShares = {
  /** Tasks nobody accepts: they go overdue and are escalated. */
  left: 0.06,
  /** Tasks transferred to another county (the victim lives elsewhere); only from the first county. */
  transferred: 0.08,
  /** Answers that give a 立案编号 (a case was opened). */
  caseOpened: 0.4,
  /** Stopped accounts converted into a freeze. */
  frozen: 0.85,
  /** Freezes the bank could not carry out that the officer sends again (the others are left to lapse). */
  refrozen: 0.7,
  /** At most this many freezes of one stop. */
  freezeAttempts: 3,
  /** Freezes renewed (续冻). */
  renewed: 0.1,
  /** Frozen accounts whose money is returned to the victim. */
  returned: 0.35,
  /** Of those, returns of part of it (other victims' money is on the account too). */
  returnedInPart: 0.25,
  /** After a return in part, the rest released to the account holder. */
  restReleased: 0.5,
  /** Frozen accounts released in full (the holder showed the money was theirs). */
  released: 0.05,
} as const;

const delay = (rng: Rng, medianS: number, minS: number, maxS: number) =>
  clamp(rng.logNormal(medianS, 0.5), minS, maxS) * SECOND;

export type TaskFate = 'worked' | 'transferred' | 'left';

export interface TaskPlan {
  /** 0: the victim's county; 1: the county it was transferred to. */
  hop: number;
  countyCode: string;
  fate: TaskFate;
  /** Simulation times: accept (or transfer), record the contact, answer. */
  acceptAt: number;
  contactAt: number;
  answerAt: number;
  /** Digits of the 立案编号, when a case is opened. */
  caseSerial: string | undefined;
  answer: string;
  transfer: { countyCode: string; countyLabel: string; reason: string } | undefined;
}

const answers = [
  '已电话联系被害人，制作询问笔录，告知后续止付冻结进展',
  '已上门走访被害人，调取转账记录及聊天截图，开展反诈宣传',
  '已联系被害人到派出所报案，固定电子证据，受案审查中',
  '已联系被害人，核实损失情况，资金查控材料已报送中心',
];

const counties = countyPopulations();

/** The task a county gets for a fraud's report: issued at `issuedAt` (simulation time). */
export function planCountyTask(
  seed: Seed,
  fraudIndex: number,
  hop: number,
  countyCode: string,
  issuedAt: number,
): TaskPlan {
  const rng = rngFor(seed, 'county-task', fraudIndex, hop);
  const r = rng.next();
  const fate: TaskFate =
    r < caseShares.left
      ? 'left'
      : hop === 0 && r < caseShares.left + caseShares.transferred
        ? 'transferred'
        : 'worked';
  const acceptAt = issuedAt + delay(rng, 50, 10, 20 * 60);
  const contactAt = acceptAt + delay(rng, 40, 10, 5 * 60);
  const answerAt = contactAt + delay(rng, 60, 15, 10 * 60);
  const caseSerial = rng.chance(caseShares.caseOpened) ? rng.digits(7) : undefined;
  const answer = rng.pick(answers);
  let transfer: TaskPlan['transfer'];
  if (fate === 'transferred') {
    const others = counties.filter((c) => c.code !== countyCode);
    const to = others[rng.weightedIndex(others.map((c) => c.population))]!;
    transfer = {
      countyCode: to.code,
      countyLabel: to.label,
      reason: `经核实被害人现居住地为${to.label}，非本辖区，移交属地办理`,
    };
  }
  return { hop, countyCode, fate, acceptAt, contactAt, answerAt, caseSerial, answer, transfer };
}

/** A freeze the robot officer sends (attempt 1), for the money stopped. */
export interface FreezePlan {
  freezeAt: number;
  /** The money stopped on the account: never more than the amount involved. */
  amountFen: number;
}

/** What happens to an account stopped with `stoppedFen` at `stoppedAt`; undefined: it is not frozen. */
export function planFreeze(
  seed: Seed,
  parcelId: string,
  stoppedAt: number,
  stoppedFen: number,
  amountInvolvedFen: number,
): FreezePlan | undefined {
  const rng = rngFor(seed, 'freeze', parcelId);
  if (stoppedFen <= 0 || !rng.chance(caseShares.frozen)) return undefined;
  return {
    freezeAt: stoppedAt + delay(rng, 45, 10, 20 * 60),
    amountFen: Math.min(stoppedFen, amountInvolvedFen),
  };
}

/**
 * After the bank could not carry out freeze `attempt` (it said so at `failedAt`): when the officer sends it
 * again, or undefined to let the stop lapse — always when another try would not be confirmed well before
 * the lapse.
 */
export function planRefreeze(
  seed: Seed,
  parcelId: string,
  attempt: number,
  failedAt: number,
  lapsesAt: number,
): number | undefined {
  const rng = rngFor(seed, 'refreeze', parcelId, attempt);
  if (attempt >= caseShares.freezeAttempts || !rng.chance(caseShares.refrozen)) return undefined;
  const at = failedAt + delay(rng, 180, 30, 30 * 60);
  return at < lapsesAt - 12 * HOUR ? at : undefined;
}

/** A release or return the officer proposes and the supervisor approves, after the freeze or the one before. */
export interface DecisionPlan {
  kind: 'return' | 'release';
  /** Of what is frozen when it is proposed. */
  share: number;
  proposeAfterMs: number;
  approveAfterMs: number;
}

/** What the officers do with a freeze once the bank has confirmed it: renew it, return, release. */
export interface AfterFreezePlan {
  /** Renewed this long after the freeze took effect (the clock is compressed: see the top). */
  renewAfterMs: number | undefined;
  /** One after another, each once the bank has confirmed (or failed) the one before. */
  decisions: DecisionPlan[];
}

export function planAfterFreeze(seed: Seed, parcelId: string): AfterFreezePlan {
  const rng = rngFor(seed, 'after-freeze', parcelId);
  const renewAfterMs = rng.chance(caseShares.renewed) ? delay(rng, 60, 10, 10 * 60) : undefined;
  const step = (kind: DecisionPlan['kind'], share: number): DecisionPlan => ({
    kind,
    share,
    proposeAfterMs: delay(rng, 40, 10, 10 * 60),
    approveAfterMs: delay(rng, 30, 10, 10 * 60),
  });
  const r = rng.next();
  const decisions: DecisionPlan[] = [];
  if (r < caseShares.returned) {
    const isInPart = rng.chance(caseShares.returnedInPart);
    decisions.push(step('return', isInPart ? 0.5 + 0.4 * rng.next() : 1));
    if (isInPart && rng.chance(caseShares.restReleased)) decisions.push(step('release', 1));
  } else if (r < caseShares.returned + caseShares.released) decisions.push(step('release', 1));
  return { renewAfterMs, decisions };
}

/** The amount of a decision: its share of what is frozen, at least 1 fen, never more than frozen. */
export const decisionFen = (share: number, frozenFen: number) =>
  Math.min(frozenFen, Math.max(1, Math.floor(frozenFen * share)));
