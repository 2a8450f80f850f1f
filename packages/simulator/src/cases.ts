import { countyPopulations } from './population';
import { clamp, rngFor, type Rng, type Seed } from './rng';

/**
 * What the case officers do after the stop, decided from the seed and stable ids alone (pure): whether a
 * county accepts its task (签收), answers it (反馈), transfers it (移交) or leaves it; whether a stopped
 * account is frozen (冻结) and its money returned (资金返还), and when, in simulation time.
 *
 * The clock is compressed on purpose (our choice, for the demo): what takes officers hours takes the
 * robots minutes, so a demo shows a case's whole life. Accepting stays within the 30-minute deadline,
 * answering within 24 hours, freezing long before the 48-hour lapse. A few tasks are left unaccepted and
 * a few returns confirmed late, so overdue hand-offs and escalations exist too.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

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
  /** Frozen accounts whose money is returned to the victim. */
  returned: 0.35,
  /** Returns the bank confirms after they are due. */
  late: 0.1,
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

export interface ReturnPlan {
  proposeAt: number;
  approveAt: number;
  /** When the bank confirms: within minutes, or (late) after the return is due. */
  confirmAt: number;
  isLate: boolean;
  amountFen: number;
  bankSerial: string;
}

export interface FreezePlan {
  freezeAt: number;
  /** The money stopped on the account: never more than the amount involved. */
  amountFen: number;
  returned: ReturnPlan | undefined;
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
  const freezeAt = stoppedAt + delay(rng, 45, 10, 20 * 60);
  const amountFen = Math.min(stoppedFen, amountInvolvedFen);
  let returned: ReturnPlan | undefined;
  if (rng.chance(caseShares.returned)) {
    const proposeAt = freezeAt + delay(rng, 40, 10, 10 * 60);
    const approveAt = proposeAt + delay(rng, 30, 10, 10 * 60);
    const isLate = rng.chance(caseShares.late);
    // Late: nominally four days on; the bank waits until fanzha says the return is overdue.
    const confirmAt = approveAt + (isLate ? 4 * DAY : delay(rng, 60, 15, 30 * 60));
    returned = { proposeAt, approveAt, confirmAt, isLate, amountFen, bankSerial: rng.digits(8) };
  }
  return { freezeAt, amountFen, returned };
}
