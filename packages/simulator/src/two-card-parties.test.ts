import { generateKeyPairSync, sign } from 'node:crypto';
import type { TwoCardInstruction } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { canonicalJson, centreVerifier, newAnswerKey } from './signing';
import { newStats } from './stats';
import { createTimers } from './timers';
import { planTwoCardAnswer, startTwoCardParties } from './two-card-parties';

describe('two-cards answers of the simulated banks and operators', () => {
  const ids = Array.from(
    { length: 2000 },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );

  it('is the same for the same seed and instruction, and acknowledges before answering', () => {
    for (const id of ids.slice(0, 50)) {
      const item = { id, partyKind: 'bank' as const, action: 'apply' as const };
      const p = planTwoCardAnswer(7, item);
      expect(planTwoCardAnswer(7, item)).toEqual(p);
      expect(p.answerAfterMs).toBeGreaterThan(p.acknowledgeAfterMs);
    }
  });

  it('carries out most measures and every lift; refusals give their reason', () => {
    const applied = ids.map((id) => planTwoCardAnswer(7, { id, partyKind: 'bank', action: 'apply' }));
    const refused = applied.filter((p) => p.answer.answer === 'refused');
    expect(refused.length).toBeGreaterThan(20);
    expect(refused.length).toBeLessThan(200);
    for (const p of refused) expect(p.answer.refusalReason).toBeDefined();
    const lifts = ids.map((id) => planTwoCardAnswer(7, { id, partyKind: 'operator', action: 'lift' }));
    expect(lifts.every((p) => p.answer.answer === 'executed')).toBe(true);
  });
});

describe('the simulated parties’ systems', () => {
  it('read their pending measures with their key, act only on what the centre signed, and answer signed', async () => {
    const centre = generateKeyPairSync('ed25519');
    const party = newAnswerKey();
    const instruction = (id: string): TwoCardInstruction => ({
      instructionId: id,
      measureId: '00000000-0000-4000-8000-00000000000a',
      action: 'apply',
      kind: 'no_non_counter_services',
      partyKind: 'bank',
      partyCode: 'BOC',
      holder: { idNumber: '520102198802140036' },
      cards: [],
      startsAt: '2026-12-04T00:00:00.000Z',
      endsAt: '2031-12-04T00:00:00.000Z',
      reason: '出租银行卡',
      decidingUnit: '南明分局',
      liftReason: null,
      issuedAt: '2026-12-04T00:00:00.000Z',
    });
    const item = (id: string, signedBy = centre.privateKey) => ({
      id,
      measureId: '00000000-0000-4000-8000-00000000000a',
      action: 'apply',
      kind: 'no_non_counter_services',
      partyKind: 'bank',
      partyCode: 'BOC',
      status: 'sent',
      refusalReason: null,
      issuedAt: '2026-12-04T00:00:00.000Z',
      updatedAt: '2026-12-04T00:00:00.000Z',
      note: null,
      acknowledgedAt: null,
      executedAt: null,
      refusedAt: null,
      instruction: instruction(id),
      signature: sign(null, Buffer.from(canonicalJson(instruction(id))), signedBy).toString('base64'),
      keyId: 'k1',
      algorithm: 'Ed25519',
    });
    const good = '00000000-0000-4000-8000-000000000001';
    const forged = '00000000-0000-4000-8000-000000000002';
    const answers: Array<{
      url: string;
      body: unknown;
      signature: string | null;
      authorization: string | null;
    }> = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    const fakeFetch = async (input: Request): Promise<Response> => {
      if (input.method === 'GET')
        return Response.json({
          items: [item(good), item(forged, generateKeyPairSync('ed25519').privateKey)],
          nextCursor: null,
        });
      const body = (await input.json()) as { answer: string };
      answers.push({
        url: input.url,
        body,
        signature: input.headers.get('x-fanzha-signature'),
        authorization: input.headers.get('authorization'),
      });
      if (body.answer !== 'acknowledged') done();
      return Response.json({ ...item(good), status: body.answer });
    };
    const timers = createTimers();
    const stats = newStats();
    const run = startTwoCardParties({
      baseUrl: 'http://fanzha.test',
      parties: [{ partyCode: 'BOC', apiKey: 'fzb_test', answerKey: party }],
      seed: 7,
      pace: 0,
      pollMs: 60_000,
      verify: centreVerifier(centre.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      timers,
      stats,
      fetch: fakeFetch as typeof fetch,
    });
    await finished;
    run.stop();
    timers.stop();
    expect(answers.map((a) => a.url)).toEqual(
      Array(2).fill(`http://fanzha.test/api/two-cards/instructions/${good}/answer`),
    );
    expect(answers[0]!.body).toEqual({ answer: 'acknowledged' });
    expect(answers[0]!.authorization).toBe('Bearer fzb_test');
    const verifyParty = centreVerifier(party.publicKeyPem);
    for (const a of answers)
      expect(verifyParty({ instructionId: good, answer: a.body }, a.signature!)).toBe(true);
    expect(stats.errors).toMatchObject({ bad_two_card_signature: 1 });
  });
});
