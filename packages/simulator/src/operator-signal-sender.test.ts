import { createPublicKey, verify } from 'node:crypto';
import { OperatorSignalBatchRequest, signalSchemas, type SignalBatchResponse } from '@fanzha/contracts';
import { operators } from '@fanzha/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { startOperatorSignals, type SignallingOperator } from './operator-signal-sender';
import { makeSignalBatch } from './operators';
import { canonicalJson, newAnswerKey } from './signing';
import { newStats } from './stats';
import { createTimers } from './timers';

const feed = { seed: 7, runTag: 'op1', gangs: 3, fraudShare: 0.1 };

interface Received {
  url: string;
  authorization: string | null;
  signature: string | null;
  body: Record<string, unknown>;
}

describe("the operators' feeds over HTTPS (no NATS)", () => {
  const timers = createTimers();
  afterEach(() => timers.stop());

  it('post each batch to /api/operator/signals with its own operator’s key, signed, the operator left to the key', async () => {
    const senders: SignallingOperator[] = operators.map((operator, i) => ({
      operator,
      apiKey: `fzs_test${i}`,
      answerKey: newAnswerKey(),
    }));
    const received: Received[] = [];
    let allIn: () => void = () => undefined;
    const everyBatch = new Promise<void>((resolve) => (allIn = resolve));
    // 2,000 a minute for one minute: call 900 (2 requests), sms 700 (2), url 300 (1), app 100 (1).
    const fakeFetch = async (input: Request): Promise<Response> => {
      const body = (await input.json()) as Record<string, unknown>;
      received.push({
        url: input.url,
        authorization: input.headers.get('authorization'),
        signature: input.headers.get('x-fanzha-signature'),
        body,
      });
      if (received.length === 6) allIn();
      const signals = body.signals as Array<{ id: string }>;
      const answer: SignalBatchResponse = {
        accepted: signals.length,
        refused: 0,
        hits: 0,
        results: signals.map((s) => ({ status: 'accepted', id: s.id })),
      };
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
    };
    let clock = 0;
    const stats = newStats();
    const feedRun = startOperatorSignals({
      baseUrl: 'http://fanzha.test',
      operators: senders,
      perMinute: 2_000,
      feed,
      stats,
      timers,
      fetch: fakeFetch as typeof fetch,
      now: () => clock,
    });
    expect(received).toEqual([]);
    clock = 60_000; // the next tick finds a minute's signals due
    await everyBatch;
    feedRun.stop();

    expect(received.map((r) => r.url)).toEqual(Array(6).fill('http://fanzha.test/api/operator/signals'));
    const byKind: Record<string, number> = {};
    for (const r of received) {
      // The contract's body, each signal valid, and no operator in it: the key says who sends.
      const body = OperatorSignalBatchRequest.parse(r.body);
      expect(r.body).not.toHaveProperty('operator');
      for (const s of body.signals) expect(() => signalSchemas[body.kind].parse(s)).not.toThrow();
      byKind[body.kind] = (byKind[body.kind] ?? 0) + body.signals.length;
      // The batch the NATS feed would have published, sent with that operator's key and signature.
      const index = Number((body.signals[0] as { id: string }).id.split('-')[2]);
      const batch = makeSignalBatch(feed, body.kind, index, body.signals.length, new Date(body.sentAt));
      expect(batch.signals).toEqual(body.signals);
      const sender = senders.find((s) => s.operator === batch.operator)!;
      expect(r.authorization).toBe(`Bearer ${sender.apiKey}`);
      const isSigned = verify(
        null,
        Buffer.from(canonicalJson({ signalBatch: r.body })),
        createPublicKey(sender.answerKey.publicKeyPem),
        Buffer.from(r.signature ?? '', 'base64'),
      );
      expect(isSigned).toBe(true);
    }
    expect(byKind).toEqual({ call: 900, sms: 700, url: 300, app: 100 });
    await expect.poll(() => stats.signalsPublished).toBe(2_000);
    expect(stats.errors).toEqual({});
  });
});
