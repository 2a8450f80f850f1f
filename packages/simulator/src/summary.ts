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
  /** After the stop (the case robots): county tasks, freezes, returns. */
  tasksAccepted: number;
  tasksAnswered: number;
  tasksTransferred: number;
  tasksLeft: number;
  accountsFrozen: number;
  frozenYuan: number;
  returnsApproved: number;
  returnsConfirmed: number;
  returnedYuan: number;
  /** Case work (tasks, freezes, returns) still under way when the run ended. */
  caseWorkOpen: number;
  errors: number;
  errorsByKind: Record<string, number>;
  /** The first message of each kind of error. */
  errorSamples: Record<string, string>;
  /** Requests still unanswered when the run ended (0 after a full drain). */
  unfinished: number;
}

export function summarize(
  stats: SimStats,
  startedAt: number,
  now: number,
  unfinished: number,
  caseWorkOpen = 0,
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
    tasksAccepted: stats.tasksAccepted,
    tasksAnswered: stats.tasksAnswered,
    tasksTransferred: stats.tasksTransferred,
    tasksLeft: stats.tasksLeft,
    accountsFrozen: stats.accountsFrozen,
    frozenYuan: stats.frozenFen / 100,
    returnsApproved: stats.returnsApproved,
    returnsConfirmed: stats.returnsConfirmed,
    returnedYuan: stats.returnedFen / 100,
    caseWorkOpen,
    errors: errorCount(stats),
    errorsByKind: { ...stats.errors },
    errorSamples: { ...stats.errorSamples },
    unfinished,
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
    `  accounts frozen      ${s.accountsFrozen}, amount frozen ${yuan(s.frozenYuan)}`,
    `  returns confirmed    ${s.returnsConfirmed} of ${s.returnsApproved} approved, amount returned ${yuan(s.returnedYuan)}`,
    ...(s.answeredElsewhere ? [`  answered by people   ${s.answeredElsewhere}`] : []),
    ...(s.duplicateAnswersAbsorbed
      ? [`  repeated answers     ${s.duplicateAnswersAbsorbed}, all absorbed`]
      : []),
    ...(s.foreignInstructions
      ? [`  left to people       ${s.foreignInstructions} instructions not from the simulation`]
      : []),
    ...(s.signalsPublished ? [`  signals published    ${s.signalsPublished}`] : []),
    `  errors               ${s.errors}${errors ? ` (${errors})` : ''}`,
    ...Object.entries(s.errorSamples).map(([kind, message]) => `    ${kind}: ${message}`),
    ...(s.unfinished ? [`  unfinished           ${s.unfinished} still open when the run ended`] : []),
    ...(s.caseWorkOpen
      ? [`  case work open       ${s.caseWorkOpen} tasks, freezes or returns under way`]
      : []),
  ].join('\n');
}
