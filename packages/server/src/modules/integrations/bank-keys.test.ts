import { generateKeyPairSync } from 'node:crypto';
import type { ErrorBody } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, type Harness } from '../../../testing/app-harness';

/** The public key a bank or operator registers: only the public half of an Ed25519 pair, never its secret. */
describeEachStorage('registering a party’s public key', (database) => {
  let h: Harness;
  let root = '';
  beforeAll(async () => {
    h = await createHarness(database());
    await h.createUser({ username: 'root', displayName: 'root', role: 'admin' });
    root = await h.signIn('root');
  });
  afterAll(() => h?.close());

  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: root }, payload });
  const keys = async () =>
    (
      await h.app.inject({ method: 'GET', url: '/api/integrations/bank-keys', headers: { cookie: root } })
    ).json<{ keys: Array<{ publicKeyPem: string }> }>().keys;

  it('refuses a private key pasted as the public one, keeps nothing, and takes its public half', async () => {
    const before = await keys();
    const bank = await post('/api/integrations/bank-keys', {
      name: 'ICBC gateway',
      bankCode: 'ICBC',
      publicKeyPem: privatePem,
    });
    expect(bank.statusCode, bank.body).toBe(400);
    expect(bank.json<ErrorBody>().error.details).toEqual([
      expect.objectContaining({ field: 'body.publicKeyPem', reason: 'private_key' }),
    ]);
    expect(bank.body).not.toContain('PRIVATE KEY');
    const operator = await post('/api/integrations/signal-keys', {
      name: 'China Mobile signals',
      sender: { kind: 'operator', operator: 'china_mobile' },
      publicKeyPem: privatePem,
    });
    expect(operator.statusCode, operator.body).toBe(400);
    expect(operator.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.publicKeyPem', reason: 'private_key' }),
    );
    const after = await keys();
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).not.toContain('PRIVATE KEY');

    const right = await post('/api/integrations/bank-keys', {
      name: 'ICBC gateway',
      bankCode: 'ICBC',
      publicKeyPem: publicPem,
    });
    expect(right.statusCode, right.body).toBe(201);
  });

  it('still refuses a key of another kind, or no key at all, as not_ed25519', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    for (const publicKeyPem of [ec, 'hello'])
      expect(
        (
          await post('/api/integrations/bank-keys', { name: 'CCB gateway', bankCode: 'CCB', publicKeyPem })
        ).json<ErrorBody>().error.details,
      ).toEqual([expect.objectContaining({ field: 'body.publicKeyPem', reason: 'not_ed25519' })]);
  });
});
