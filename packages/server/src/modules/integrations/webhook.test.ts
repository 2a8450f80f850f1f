import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { SignedInstruction, SigningKey } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../db/test-databases';
import { verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../test-support/app-harness';
import { cardOf, queue, reportWith } from '../../test-support/core-loop-fixtures';

describeEachStorage('instruction webhooks', (database) => {
  let h: Harness;
  let bank: Server;
  let bankUrl = '';
  const received: Array<{ body: SignedInstruction; eventId: string; status: number }> = [];
  let failuresLeft = 0;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    // The bank's own HTTP endpoint: answers 503 while `failuresLeft` lasts, then 200.
    bank = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const status = failuresLeft-- > 0 ? 503 : 200;
        received.push({
          body: JSON.parse(text) as SignedInstruction,
          eventId: String(req.headers['x-fanzha-event-id']),
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => bank.listen(0, '127.0.0.1', r));
    bankUrl = `http://127.0.0.1:${(bank.address() as { port: number }).port}/fanzha/instructions`;
    h = await createHarness(database());
    for (const [username, role] of [
      ['taker', 'call_taker'],
      ['desk', 'stop_payment_officer'],
      ['root', 'admin'],
    ] as const) {
      await h.createUser({ username, displayName: username, role });
      c[username] = await h.signIn(username);
    }
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: {
        name: 'BOC gateway',
        bankCode: 'BOC',
        publicKeyPem: generateKeyPairSync('ed25519')
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
        webhookUrl: bankUrl,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => bank.close(r));
  });

  it('posts each sent instruction, signed, to its bank’s webhook — retrying until it is taken, then never again', async () => {
    failuresLeft = 2;
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('BOC', 900), amountFen: 42_000 }]);
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${pending!.id}/send`,
      headers: { cookie: c.desk! },
      payload: { legalDocNumber: 'DOC-WEB-1' },
    });
    await expect.poll(() => received.filter((r) => r.status === 200).length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    const mine = received.filter((r) => r.body.instruction.instructionId === pending!.id);
    expect(mine.map((r) => r.status)).toEqual([503, 503, 200]);
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, mine[2]!.body.instruction, mine[2]!.body.signature)).toBe(true);
    expect(mine[2]!.body.instruction).toMatchObject({
      bankCode: 'BOC',
      amountFen: 42_000,
      legalDocNumber: 'DOC-WEB-1',
    });
  });

  it('refuses a key whose webhook is not an http(s) URL', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: { name: 'bad hook', bankCode: 'BOC', publicKeyPem: 'x', webhookUrl: 'ftp://bank.example/x' },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res.json<{ error: { details: Array<{ field: string }> } }>().error.details.map((d) => d.field),
    ).toContain('body.webhookUrl');
  });
});
