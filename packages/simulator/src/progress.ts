import type { Simulation } from './runner';
import { errorCount } from './stats';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR = 24;

/** One line of where the run is. */
export function progressLine(
  sim: Simulation,
  now = Date.now(),
): { text: string; fraction: number | undefined } {
  const s = sim.stats;
  const elapsed = now - sim.startedAt;
  const duration = sim.options.durationMs;
  const fraction = duration === undefined ? undefined : Math.min(1, elapsed / duration);
  const layers = s.answersByLayer.map((n, i) => `L${i + 1} ${n ?? 0}`).join(' ');
  const phase =
    fraction !== undefined && fraction >= 1
      ? `draining, ${sim.openWork()} open`
      : `${Math.round(elapsed / 1000)} s`;
  const text =
    `${phase} · reports ${s.reportsFiled} · answered ${s.stopped + s.failed}` +
    `${layers ? ` (${layers})` : ''} · stopped ¥${Math.round(s.stoppedFen / 100).toLocaleString('en-US')}` +
    ` · errors ${errorCount(s)}`;
  return { text, fraction };
}

/**
 * A progress bar redrawn in place on a terminal; elsewhere (CI logs, files) a plain line every
 * `everyMs`, so logs stay readable.
 */
export function showProgress(sim: Simulation, out: ProgressOutput, everyMs = 10_000): { stop(): void } {
  const isTty = out.isTTY === true;
  const draw = () => {
    const { text, fraction } = progressLine(sim);
    if (!isTty) return void out.write(`${text}\n`);
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(fraction * BAR)).padEnd(BAR, '.')}] ${Math.round(fraction * 100)}% `;
    out.write(`\r\x1b[2K${bar}${text}`);
  };
  const timer = setInterval(draw, isTty ? 250 : everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      draw();
      if (isTty) out.write('\n');
    },
  };
}
