import { ApiError } from '@fanzha/contracts';
import { formatSummary, showProgress, SimOptionsError, startSimulation } from '@fanzha/simulator';
import { parseSimArgs, SimUsageError, simUsage } from './sim-args';

/**
 * `fanzha sim`: the simulated province against any fanzha, over its API only. Exit status 0 when the run
 * had no errors, 1 when it had some (or the server refused to start it), 2 for bad flags or a server not
 * reached.
 */
export async function runSim(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(simUsage);
    return 0;
  }
  let args;
  try {
    args = parseSimArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof SimUsageError)) throw err;
    console.error(`${err.message}\n\n${simUsage}`);
    return 2;
  }
  let sim;
  try {
    sim = await startSimulation(args.options);
  } catch (err) {
    if (err instanceof SimOptionsError) {
      console.error(err.message);
      return 2;
    }
    const reason =
      err instanceof ApiError
        ? `${err.status} ${err.code}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    console.error(`could not start the simulation against ${args.options.target}: ${reason}`);
    // Refused by the server: an answer (1); the server (or the broker) never reached: could not run (2).
    return err instanceof ApiError && err.status !== 0 ? 1 : 2;
  }
  const o = sim.options;
  console.error(
    `simulating against ${o.target}: seed ${o.seed}, ${o.ratePerMinute} reports/min, ` +
      `${o.durationMs === undefined ? 'until Ctrl+C' : `${o.durationMs / 1000} s`}, pace ${o.pace}, ` +
      `intake ${o.intake}, desk ${o.isDeskRobot ? 'robot' : 'people'}, ` +
      `cases ${o.isCaseRobot ? 'robot' : 'people'}, run ${sim.runTag}`,
  );
  const progress = showProgress(sim, process.stderr);
  const interrupt = () => void sim.stop();
  process.once('SIGINT', interrupt);
  const summary = await sim.done;
  process.off('SIGINT', interrupt);
  progress.stop();
  console.log(
    args.isJson ? JSON.stringify({ seed: o.seed, runTag: sim.runTag, ...summary }) : formatSummary(summary),
  );
  return summary.errors > 0 ? 1 : 0;
}
