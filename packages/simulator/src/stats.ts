/** What a run did, as counted by the simulator itself: for the progress line, the summary and the bench. */
export interface SimStats {
  /**
   * Set when the run's summary is taken, before its clean-up revokes the robots' keys: a request of a robot
   * still finishing then fails because of the clean-up itself, and is not counted as an error of the run.
   */
  isSummarized: boolean;
  reportsFiled: number;
  /** Wall clock of the last report filed: throughput is counted up to it. */
  lastFiledAt: number | undefined;
  /** Victims' losses of the filed reports, fen. */
  lossFen: number;
  /** Instructions the simulated banks received that belong to this run. */
  instructionsReceived: number;
  stopped: number;
  failed: number;
  /** Accounts with money stopped on them (a stopped answer with more than 0). */
  accountsStopped: number;
  stoppedFen: number;
  /** Answers by layer: index 0 is layer 1. */
  answersByLayer: number[];
  /** Instructions someone else (a liaison in the console) answered first. */
  answeredElsewhere: number;
  /** Repeated answers sent on purpose (fault `twice`) that fanzha took as the same answer. */
  duplicateAnswersAbsorbed: number;
  /** Instructions the simulated banks saw that no simulated fraud explains (a human's report): left alone. */
  foreignInstructions: number;
  signalsPublished: number;
  /** The banks' transfer attempts posted to fanzha: accepted, refused, and hits (known on the embedded default). */
  bankSignalsSent: number;
  bankSignalsRefused: number;
  bankSignalHits: number;
  /** The robot persuaders: episodes taken, closed, each outcome or hold step recorded, and those the ladder refused. */
  episodesWorked: number;
  episodesClosed: number;
  persuasionOutcomes: Record<string, number>;
  /** Callback attempts the robot callback desk recorded, by outcome. */
  callbackOutcomes: Record<string, number>;
  persuasionRefusedByLadder: number;
  /** The case robots: county tasks accepted, answered, transferred, left to go overdue. */
  tasksAccepted: number;
  tasksAnswered: number;
  tasksTransferred: number;
  tasksLeft: number;
  /** Freezes the robot officers sent (every attempt), and how the banks confirmed them. */
  freezesRequested: number;
  /** Accounts frozen, as the banks confirmed (in full or in part), and the amount they froze. */
  accountsFrozen: number;
  frozenFen: number;
  freezesPartial: number;
  freezesFailed: number;
  /** Freezes sent again after the bank could not carry one out, and stops left to lapse instead. */
  refreezes: number;
  leftToLapse: number;
  renewalsConfirmed: number;
  renewalsFailed: number;
  /** Releases and returns approved by two robots, and what the banks confirmed of them. */
  releasesApproved: number;
  releasesConfirmed: number;
  releasedFen: number;
  releasesFailed: number;
  returnsApproved: number;
  returnsConfirmed: number;
  returnsPartial: number;
  returnsFailed: number;
  returnedFen: number;
  /** Confirmations the simulated banks sent of measures the robots asked for, and of lapse notices. */
  confirmationsSent: number;
  lapsesLifted: number;
  /** Protective holds placed or refused, and releases lifted, by the simulated banks. */
  holdsAnswered: number;
  /** Measures people asked for (at the desk console) that a simulated bank confirmed. */
  confirmedForPeople: number;
  /** Countermeasures the robot analyst requested and the lifts it asked for. */
  countermeasuresRequested: number;
  countermeasureLiftsRequested: number;
  /** The simulated operators' and banks' answers to countermeasures: by answer, and `refused:<reason>`. */
  countermeasureAnswers: Record<string, number>;
  /** The simulated banks' and operators' answers to two-cards measures: by `action:answer`. */
  twoCardAnswers: Record<string, number>;
  /** Public lookups and banks' payee checks: by `public:<level>`, `payee:<level>`, and `public:rate_limited`. */
  lookups: Record<string, number>;
  errors: Record<string, number>;
  /** The first error of each kind, as said: enough to tell why without a log. */
  errorSamples: Record<string, string>;
  /** Instruction round trips as the banks see them: sent (issuedAt) → answer accepted, ms. */
  roundTripsMs: number[];
}

export function newStats(): SimStats {
  return {
    isSummarized: false,
    reportsFiled: 0,
    lastFiledAt: undefined,
    lossFen: 0,
    instructionsReceived: 0,
    stopped: 0,
    failed: 0,
    accountsStopped: 0,
    stoppedFen: 0,
    answersByLayer: [],
    answeredElsewhere: 0,
    duplicateAnswersAbsorbed: 0,
    foreignInstructions: 0,
    signalsPublished: 0,
    bankSignalsSent: 0,
    bankSignalsRefused: 0,
    bankSignalHits: 0,
    episodesWorked: 0,
    episodesClosed: 0,
    persuasionOutcomes: {},
    callbackOutcomes: {},
    persuasionRefusedByLadder: 0,
    tasksAccepted: 0,
    tasksAnswered: 0,
    tasksTransferred: 0,
    tasksLeft: 0,
    freezesRequested: 0,
    accountsFrozen: 0,
    frozenFen: 0,
    freezesPartial: 0,
    freezesFailed: 0,
    refreezes: 0,
    leftToLapse: 0,
    renewalsConfirmed: 0,
    renewalsFailed: 0,
    releasesApproved: 0,
    releasesConfirmed: 0,
    releasedFen: 0,
    releasesFailed: 0,
    returnsApproved: 0,
    returnsConfirmed: 0,
    returnsPartial: 0,
    returnsFailed: 0,
    returnedFen: 0,
    confirmationsSent: 0,
    lapsesLifted: 0,
    holdsAnswered: 0,
    confirmedForPeople: 0,
    countermeasuresRequested: 0,
    countermeasureLiftsRequested: 0,
    countermeasureAnswers: {},
    twoCardAnswers: {},
    lookups: {},
    errors: {},
    errorSamples: {},
    roundTripsMs: [],
  };
}

/** Keeps at most this many round trips (a long demo would otherwise grow without end). */
const MAX_SAMPLES = 100_000;

export function recordRoundTrip(stats: SimStats, ms: number): void {
  if (stats.roundTripsMs.length >= MAX_SAMPLES) stats.roundTripsMs.splice(0, MAX_SAMPLES / 10);
  stats.roundTripsMs.push(ms);
}

export function countError(stats: SimStats, kind: string, err?: unknown): void {
  if (stats.isSummarized) return;
  stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
  if (err !== undefined && stats.errorSamples[kind] === undefined)
    stats.errorSamples[kind] = err instanceof Error ? err.message : JSON.stringify(err);
}

/** Adds one to a tally kept by name. */
export function tally(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

export const errorCount = (stats: SimStats) => Object.values(stats.errors).reduce((s, n) => s + n, 0);

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
