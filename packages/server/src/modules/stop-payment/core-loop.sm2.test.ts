import type { InstructionList, SigningKey, StopPaymentView } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith, signInCoreLoopUsers } from '../../../testing/core-loop-fixtures';

// A centre set to China's commercial algorithms signs its instructions with SM2 and says so in each.
describeEachStorage('signed instructions under FANZHA_CRYPTO=commercial', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database(), { env: { FANZHA_CRYPTO: 'commercial' } });
    c = await signInCoreLoopUsers(h);
  });
  afterAll(() => h.close());

  it('signs with SM2, names it in the instruction and the signing key, and the bank verifies it', async () => {
    const number = cardOf('ICBC', 41);
    const { id } = await reportWith(h, c.taker!, [{ number, amountFen: 2_000_000 }]);
    const pending = (await queue(h, c.desk!, `?reportId=${id}`)).find((r) => r.account.number === number)!;
    const sent = await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${pending.id}/send`,
      headers: { cookie: c.desk! },
      payload: { legalDocNumber: 'GZ-ZF-2026-0041' },
    });
    expect(sent.statusCode).toBe(200);
    const request = sent.json<StopPaymentView>();
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    expect(key.algorithm).toBe('SM2');
    const mine = (
      await h.app.inject({ method: 'GET', url: '/api/bank/instructions', headers: { cookie: c.icbc! } })
    )
      .json<InstructionList>()
      .instructions.find((i) => i.instruction.instructionId === request.id)!;
    expect(mine).toMatchObject({ algorithm: 'SM2', keyId: key.keyId });
    expect(verifySignature(key.publicKeyPem, mine.instruction, mine.signature, mine.algorithm)).toBe(true);
    expect(
      verifySignature(key.publicKeyPem, { ...mine.instruction, amountFen: 1 }, mine.signature, 'SM2'),
    ).toBe(false);
    // The same signature claimed as Ed25519 (the default) is refused.
    expect(verifySignature(key.publicKeyPem, mine.instruction, mine.signature)).toBe(false);
  });
});
