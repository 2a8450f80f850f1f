import { createPublicKey, verify } from 'node:crypto';
import type { ErrorBody, SignedInstruction, SigningKey } from '@fanzha/contracts';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { bankProtocolKit } from '../../../testing/bank-protocol-kit';

/** The guide's canonical JSON, as an integrator writes it (not the centre's code). */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

/** What a bank's integrator meets beyond the happy path: refusals that say plainly what happened. */
describeEachStorage('the bank protocol, as an integrator reads its refusals', (database) => {
  const kit = bankProtocolKit(database);
  const { post, get, item, sent, stopped, counts } = kit;

  it('answers a late acknowledgement of an answered emergency stop with a 409 in words, changing nothing', async () => {
    const { request } = await stopped();
    const before = await item('icbc', request.id);
    const changes = await counts();
    const late = await post('icbc', `/api/bank/instructions/${request.id}/ack`);
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json<ErrorBody>().error.message).toBe('The request is stopped: it cannot be acknowledged');
    expect(await item('icbc', request.id)).toEqual(before);
    expect(await counts()).toEqual(changes);
  });

  it('serves an instruction exactly as signed, a field a later version adds in a nested object included', async () => {
    const { request } = await sent();
    const { bankInstructions } = kit.h.app.services;
    const at = kit.h.clock.now();
    const [row] = await kit.h.db.transaction().execute((trx) =>
      bankInstructions.issue(
        trx,
        [
          {
            kind: 'stop_lapsed',
            bankCode: 'ICBC',
            // A later version may name the account's branch: the bytes signed must reach the bank as they are.
            account: { ...request.account, branch: '南明支行' } as { number: string; name: string | null },
            reportId: request.reportId,
            reportNumber: request.reportNumber,
            stopPaymentId: request.id,
            fields: {
              stopInstructionId: request.id,
              stoppedAt: at.toISOString(),
              lapsedAt: at.toISOString(),
            },
          },
        ],
        at,
      ),
    );
    await bankInstructions.afterCommit();
    const centre = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    const served = await item('icbc', row!.id);
    expect(served.instruction.account).toMatchObject({ branch: '南明支行' });
    const verifies = (i: SignedInstruction) =>
      verify(
        null,
        Buffer.from(canonical(i.instruction)),
        createPublicKey(centre.publicKeyPem),
        Buffer.from(i.signature, 'base64'),
      );
    expect(verifies(served)).toBe(true);
    const listed = (await get('icbc', '/api/bank/instructions?kind=stop_lapsed&status=all')).json<{
      instructions: SignedInstruction[];
    }>();
    expect(listed.instructions.filter((i) => i.instruction.instructionId === row!.id).map(verifies)).toEqual([
      true,
    ]);
  });
});
