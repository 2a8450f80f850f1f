import { errorCount, percentile, type SimStats } from './stats';

/** The end of a run in figures: what the CLI prints and the bench reads. */
export interface SimSummary {
  elapsedS: number;
  reportsFiled: number;
  reportsPerS: number;
  lossYuan: number;
  instructionsAnswered: number;
  stopped: number;
  failed: number;
  accountsStopped: number;
  stoppedYuan: number;
  /** Answers per layer, layer 1 first. */
  answersByLayer: number[];
  deepestLayer: number;
  roundTripP50Ms: number | undefined;
  roundTripP99Ms: number | undefined;
  answeredElsewhere: number;
  duplicateAnswersAbsorbed: number;
  foreignInstructions: number;
  signalsPublished: number;
  /** The banks' transfer attempts fanzha accepted, refused, and the hits it answered (HTTP, embedded default). */
  bankSignalsSent: number;
  bankSignalsRefused: number;
  bankSignalHits: number;
  /** The robot persuaders: episodes taken and closed, and how many times each outcome (or hold step) was recorded. */
  episodesWorked: number;
  episodesClosed: number;
  persuasionOutcomes: Record<string, number>;
  /** Countermeasures the robot analyst requested and lifts it asked for; the parties' answers by answer and `refused:<reason>`. */
  countermeasuresRequested: number;
  countermeasureLiftsRequested: number;
  countermeasureAnswers: Record<string, number>;
  twoCardAnswers: Record<string, number>;
  /** Public lookups and payee checks by `public:<level>`, `payee:<level>` (and `…:rate_limited`). */
  lookups: Record<string, number>;
  /** After the stop (the case robots): county tasks, freezes, returns. */
  tasksAccepted: number;
  tasksAnswered: number;
  tasksTransferred: number;
  tasksLeft: number;
  freezesRequested: number;
  /** Accounts frozen as the banks confirmed, in full or in part, and the amount they froze. */
  accountsFrozen: number;
  frozenYuan: number;
  freezesPartial: number;
  freezesFailed: number;
  refreezes: number;
  leftToLapse: number;
  renewalsConfirmed: number;
  renewalsFailed: number;
  releasesApproved: number;
  releasesConfirmed: number;
  releasedYuan: number;
  releasesFailed: number;
  returnsApproved: number;
  returnsConfirmed: number;
  returnsPartial: number;
  returnsFailed: number;
  returnedYuan: number;
  /** The simulated banks' confirmations of the robots' measures, of lapse notices and of people's measures. */
  confirmationsSent: number;
  lapsesLifted: number;
  confirmedForPeople: number;
  /** Case work (tasks, freezes, returns) still under way when the run ended. */
  caseWorkOpen: number;
  errors: number;
  errorsByKind: Record<string, number>;
  /** The first message of each kind of error. */
  errorSamples: Record<string, string>;
  /** Requests still unanswered by the robots when the run ended (0 after a full drain). */
  unfinished: number;
  /** Instructions waiting for people at the banks left to them. */
  withPeople: number;
}

export function summarize(
  stats: SimStats,
  startedAt: number,
  now: number,
  open: { unfinished: number; caseWorkOpen?: number; withPeople?: number },
): SimSummary {
  const byLayer = Array.from(stats.answersByLayer, (n) => n ?? 0);
  const elapsedMs = now - startedAt;
  // Reports per second while reports were being filed (the drain after the last one does not count).
  const filingMs = (stats.lastFiledAt ?? now) - startedAt;
  return {
    elapsedS: Math.round(elapsedMs / 100) / 10,
    reportsFiled: stats.reportsFiled,
    reportsPerS: filingMs > 0 ? Math.round((stats.reportsFiled / filingMs) * 10_000) / 10 : 0,
    lossYuan: stats.lossFen / 100,
    instructionsAnswered: stats.stopped + stats.failed,
    stopped: stats.stopped,
    failed: stats.failed,
    accountsStopped: stats.accountsStopped,
    stoppedYuan: stats.stoppedFen / 100,
    answersByLayer: byLayer,
    deepestLayer: byLayer.length,
    roundTripP50Ms: percentile(stats.roundTripsMs, 50),
    roundTripP99Ms: percentile(stats.roundTripsMs, 99),
    answeredElsewhere: stats.answeredElsewhere,
    duplicateAnswersAbsorbed: stats.duplicateAnswersAbsorbed,
    foreignInstructions: stats.foreignInstructions,
    signalsPublished: stats.signalsPublished,
    bankSignalsSent: stats.bankSignalsSent,
    bankSignalsRefused: stats.bankSignalsRefused,
    bankSignalHits: stats.bankSignalHits,
    episodesWorked: stats.episodesWorked,
    episodesClosed: stats.episodesClosed,
    persuasionOutcomes: { ...stats.persuasionOutcomes },
    countermeasuresRequested: stats.countermeasuresRequested,
    countermeasureLiftsRequested: stats.countermeasureLiftsRequested,
    countermeasureAnswers: { ...stats.countermeasureAnswers },
    twoCardAnswers: { ...stats.twoCardAnswers },
    lookups: { ...stats.lookups },
    tasksAccepted: stats.tasksAccepted,
    tasksAnswered: stats.tasksAnswered,
    tasksTransferred: stats.tasksTransferred,
    tasksLeft: stats.tasksLeft,
    freezesRequested: stats.freezesRequested,
    accountsFrozen: stats.accountsFrozen,
    frozenYuan: stats.frozenFen / 100,
    freezesPartial: stats.freezesPartial,
    freezesFailed: stats.freezesFailed,
    refreezes: stats.refreezes,
    leftToLapse: stats.leftToLapse,
    renewalsConfirmed: stats.renewalsConfirmed,
    renewalsFailed: stats.renewalsFailed,
    releasesApproved: stats.releasesApproved,
    releasesConfirmed: stats.releasesConfirmed,
    releasedYuan: stats.releasedFen / 100,
    releasesFailed: stats.releasesFailed,
    returnsApproved: stats.returnsApproved,
    returnsConfirmed: stats.returnsConfirmed,
    returnsPartial: stats.returnsPartial,
    returnsFailed: stats.returnsFailed,
    returnedYuan: stats.returnedFen / 100,
    confirmationsSent: stats.confirmationsSent,
    lapsesLifted: stats.lapsesLifted,
    confirmedForPeople: stats.confirmedForPeople,
    caseWorkOpen: open.caseWorkOpen ?? 0,
    errors: errorCount(stats),
    errorsByKind: { ...stats.errors },
    errorSamples: { ...stats.errorSamples },
    unfinished: open.unfinished,
    withPeople: open.withPeople ?? 0,
  };
}

const yuan = (n: number) => `¥${Math.round(n).toLocaleString('en-US')}`;

export function formatSummary(s: SimSummary): string {
  const layers = s.answersByLayer.map((n, i) => `L${i + 1} ${n}`).join(' · ') || 'none';
  const rt =
    s.roundTripP50Ms === undefined
      ? 'n/a'
      : `p50 ${Math.round(s.roundTripP50Ms)} ms, p99 ${Math.round(s.roundTripP99Ms ?? 0)} ms`;
  const errors = Object.entries(s.errorsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `simulation summary (${s.elapsedS} s)`,
    `  reports filed        ${s.reportsFiled} (${s.reportsPerS}/s), victims' losses ${yuan(s.lossYuan)}`,
    `  instructions answered ${s.instructionsAnswered}: stopped ${s.stopped}, failed ${s.failed}`,
    `  accounts stopped     ${s.accountsStopped}, amount stopped ${yuan(s.stoppedYuan)}`,
    `  layers reached       ${s.deepestLayer} (${layers})`,
    `  round trip           ${rt} (sent → answer accepted, as the banks saw it)`,
    `  county tasks         accepted ${s.tasksAccepted}, answered ${s.tasksAnswered}, ` +
      `transferred ${s.tasksTransferred}, left ${s.tasksLeft}`,
    `  freezes              ${s.freezesRequested} sent: ${s.accountsFrozen} accounts frozen (${s.freezesPartial} in part), ` +
      `amount frozen ${yuan(s.frozenYuan)}; ${s.freezesFailed} failed, ${s.refreezes} sent again, ` +
      `${s.leftToLapse} left to lapse`,
    `  renewals             ${s.renewalsConfirmed} confirmed, ${s.renewalsFailed} failed`,
    `  returns              ${s.returnsConfirmed} of ${s.returnsApproved} approved confirmed (${s.returnsPartial} in part), ` +
      `${s.returnsFailed} failed, amount returned ${yuan(s.returnedYuan)}`,
    `  releases             ${s.releasesConfirmed} of ${s.releasesApproved} approved confirmed, ${s.releasesFailed} failed, ` +
      `amount released ${yuan(s.releasedYuan)}`,
    ...(s.lapsesLifted ? [`  lapsed stops lifted  ${s.lapsesLifted}`] : []),
    ...(s.confirmedForPeople
      ? [`  people's measures    ${s.confirmedForPeople} confirmed by the banks`]
      : []),
    ...(s.answeredElsewhere ? [`  answered by people   ${s.answeredElsewhere}`] : []),
    ...(s.duplicateAnswersAbsorbed
      ? [`  repeated answers     ${s.duplicateAnswersAbsorbed}, all absorbed`]
      : []),
    ...(s.foreignInstructions
      ? [`  left to people       ${s.foreignInstructions} instructions not from the simulation`]
      : []),
    ...(s.signalsPublished ? [`  signals published    ${s.signalsPublished}`] : []),
    ...(s.episodesWorked
      ? [
          `  episodes             ${s.episodesWorked} worked, ${s.episodesClosed} closed (` +
            Object.entries(s.persuasionOutcomes)
              .map(([o, n]) => `${o} ${n}`)
              .join(', ') +
            ')',
        ]
      : []),
    ...(s.bankSignalsSent || s.bankSignalsRefused
      ? [
          `  bank signals         ${s.bankSignalsSent} transfer attempts accepted, ${s.bankSignalHits} hits` +
            `${s.bankSignalsRefused ? `, ${s.bankSignalsRefused} refused` : ''}`,
        ]
      : []),
    ...(s.countermeasuresRequested
      ? [
          `  countermeasures      ${s.countermeasuresRequested} requested, ${s.countermeasureLiftsRequested} lifts asked (` +
            Object.entries(s.countermeasureAnswers)
              .map(([a, n]) => `${a} ${n}`)
              .join(', ') +
            ')',
        ]
      : []),
    ...(Object.keys(s.twoCardAnswers).length > 0
      ? [
          `  two-cards measures   ${Object.entries(s.twoCardAnswers)
            .map(([a, n]) => `${a} ${n}`)
            .join(', ')}`,
        ]
      : []),
    ...(Object.keys(s.lookups).length > 0
      ? [
          `  lookups              ${Object.entries(s.lookups)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        ]
      : []),
    `  errors               ${s.errors}${errors ? ` (${errors})` : ''}`,
    ...Object.entries(s.errorSamples).map(([kind, message]) => `    ${kind}: ${message}`),
    ...(s.unfinished ? [`  unfinished           ${s.unfinished} still open when the run ended`] : []),
    ...(s.withPeople
      ? [`  with people          ${s.withPeople} instructions at the banks left to people`]
      : []),
    ...(s.caseWorkOpen
      ? [`  case work open       ${s.caseWorkOpen} tasks, freezes or returns under way`]
      : []),
  ].join('\n');
}
