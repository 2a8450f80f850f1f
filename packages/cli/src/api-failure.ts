import type { ApiError } from '@fanzha/contracts';

/**
 * Says why a call to the server failed and gives the exit status (docs/operations.md, *Exit statuses*): a
 * server's refusal is an answer (1); a server never reached is a command that could not run (2).
 */
export function apiFailure(err: ApiError, target: string): 1 | 2 {
  if (err.status === 0) {
    process.stderr.write(`could not reach ${target}: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`refused: ${err.message}\n`);
  return 1;
}
