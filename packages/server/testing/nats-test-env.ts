import { connect } from '@nats-io/transport-node';

/**
 * The NATS server for broker tests (`FANZHA_TEST_NATS_URL`, default the local one), or undefined when it
 * does not answer. Tests skip then, except in CI where a missing server must fail the run (see
 * `isNatsRequiredForTests`): a silently skipped broker suite would hide a broken bus.
 */
export async function natsUrlForTests(): Promise<string | undefined> {
  const url = process.env['FANZHA_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
  try {
    const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
    const hasJetStream = nc.info?.jetstream === true;
    await nc.close();
    return hasJetStream ? url : undefined;
  } catch {
    return undefined;
  }
}

export function isNatsRequiredForTests(): boolean {
  return process.env['CI'] === 'true';
}
