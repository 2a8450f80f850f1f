import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type {
  ErrorBody,
  SignedInstruction,
  SigningKey,
  WebhookDelivery,
  WebhookTestResult,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createSigner, verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { countingDb } from '../../../testing/statement-count';
import { deliverInstructions } from './webhook-delivery.service';
import { webhookRetryRepository } from './webhook-retry.repository';
import {
  isInternalAddress,
  publicOnlyLookup,
  publicOnlyLookupWith,
  webhookTargetProblem,
  webhookUrlProblem,
} from './webhook-target';

const publicKeyPem = () =>
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describeEachStorage('instruction webhooks', (database) => {
  let h: Harness;
  let bank: Server;
  let origin = '';
  const received: Array<{ path: string; body: WebhookDelivery; signature: string; status: number }> = [];
  let failuresLeft = 0;
  const c: Record<string, string> = {};
  let apiKey = '';

  beforeAll(async () => {
    // The bank's own HTTP endpoint: answers 503 while `failuresLeft` lasts, then 200.
    bank = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        // `/down` and `/gone` never take anything.
        const status = req.url === '/down' || req.url === '/gone' ? 503 : failuresLeft-- > 0 ? 503 : 200;
        received.push({
          path: req.url ?? '',
          body: JSON.parse(text) as WebhookDelivery,
          signature: String(req.headers['x-fanzha-signature']),
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => bank.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(bank.address() as { port: number }).port}`;
    // The operator allows this one loopback origin; every other internal or plain-http target stays refused.
    h = await createHarness(database(), { env: { FANZHA_WEBHOOK_ALLOW: origin } });
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
        publicKeyPem: publicKeyPem(),
        webhookUrl: `${origin}/fanzha/instructions`,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    apiKey = created.json<{ key: string }>().key;
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => bank.close(r));
  });

  const createKey = (webhookUrl: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: { name: 'hook test', bankCode: 'BOC', publicKeyPem: publicKeyPem(), webhookUrl },
    });

  it('posts each new instruction to its bank’s webhook, the delivery signed as a whole — kept and tried again with growing pauses until taken, then never again', async () => {
    failuresLeft = 2;
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('BOC', 900), amountFen: 42_000 }]);
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${pending!.id}/send`,
      headers: { cookie: c.desk! },
      payload: { legalDocNumber: 'DOC-WEB-1' },
    });
    const mineOf = () => received.filter((r) => r.body.item?.instruction.instructionId === pending!.id);
    // The first attempt, through the bus, is refused: the delivery is kept to be tried again, not lost.
    await expect.poll(() => mineOf().length, { timeout: 10_000 }).toBe(1);
    const deliveryId = mineOf()[0]!.body.deliveryId;
    const kept = () => webhookRetryRepository.ofEvent(h.db, deliveryId);
    await expect.poll(async () => (await kept()).length, { timeout: 10_000 }).toBe(1);
    expect(await kept()).toMatchObject([{ consumer: 'bank-webhook', status: 'pending', attempts: 1 }]);
    // The sweep tries it again when due (5 s on), then after a pause twice as long; not before.
    const later = (ms: number) => new Date(h.clock.now().getTime() + ms);
    expect(await h.webhookRetries.retryOnce(later(4_000))).toBe(0);
    expect(mineOf()).toHaveLength(1);
    expect(await h.webhookRetries.retryOnce(later(5_000))).toBe(0);
    expect(mineOf().map((r) => r.status)).toEqual([503, 503]);
    expect(await h.webhookRetries.retryOnce(later(14_000))).toBe(0);
    expect(mineOf()).toHaveLength(2);
    expect(await h.webhookRetries.retryOnce(later(16_000))).toBe(1);
    const mine = mineOf();
    expect(mine.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(await kept()).toMatchObject([
      { status: 'delivered', attempts: 3, next_at: null, last_error: null },
    ]);
    // Taken: never sent again, whatever the sweep or the bus do later.
    expect(await h.webhookRetries.retryOnce(later(86_400_000))).toBe(0);
    expect(mineOf()).toHaveLength(3);
    const delivered = mine[2]!;
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    // The delivery as a whole, and the instruction inside it, each verify with the centre's key.
    expect(verifySignature(key.publicKeyPem, delivered.body, delivered.signature)).toBe(true);
    expect(verifySignature(key.publicKeyPem, { ...delivered.body, sentAt: 'x' }, delivered.signature)).toBe(
      false,
    );
    expect(
      verifySignature(key.publicKeyPem, delivered.body.item!.instruction, delivered.body.item!.signature),
    ).toBe(true);
    expect(delivered.body).toMatchObject({
      event: 'instruction',
      item: {
        kind: 'emergency_stop_payment',
        status: 'sent',
        instruction: { bankCode: 'BOC', amountFen: 42_000, legalDocNumber: 'DOC-WEB-1' },
      },
    });
    // The retries kept one delivery id: the bank deduplicates on it or on the instruction id.
    expect(new Set(mine.map((r) => r.body.deliveryId)).size).toBe(1);
  });

  it('gives a delivery up after three days untaken, and at once when its key is revoked', async () => {
    const ruralKey = async (path: string) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/integrations/bank-keys',
        headers: { cookie: c.root! },
        payload: {
          name: path,
          bankCode: 'GZRCU',
          publicKeyPem: publicKeyPem(),
          webhookUrl: `${origin}${path}`,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const [downId, goneId] = [await ruralKey('/down'), await ruralKey('/gone')];
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('GZRCU', 901), amountFen: 9_000 }]);
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    const sent = await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${pending!.id}/send`,
      headers: { cookie: c.desk! },
      payload: { legalDocNumber: 'DOC-WEB-3' },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const tries = (path: string) =>
      received.filter((r) => r.path === path && r.body.item?.instruction.instructionId === pending!.id);
    await expect.poll(() => tries('/down').length + tries('/gone').length, { timeout: 10_000 }).toBe(2);
    const deliveryId = tries('/down')[0]!.body.deliveryId;
    const kept = async (keyId: string) =>
      (await webhookRetryRepository.ofEvent(h.db, deliveryId)).find((r) => r.key_id === keyId);
    await expect.poll(async () => (await webhookRetryRepository.ofEvent(h.db, deliveryId)).length).toBe(2);

    const revoked = await h.app.inject({
      method: 'POST',
      url: `/api/integrations/bank-keys/${goneId}/revoke`,
      headers: { cookie: c.root! },
      payload: {},
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    // Revoking it again changes nothing: its revocation time stays the first, and one revocation is audited.
    h.clock.advance(60_000);
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/integrations/bank-keys/${goneId}/revoke`,
      headers: { cookie: c.root! },
      payload: {},
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ revokedAt: string }>().revokedAt).toBe(
      revoked.json<{ revokedAt: string }>().revokedAt,
    );
    const revocations = await h.db
      .selectFrom('audit_entry')
      .select('id')
      .where('action', '=', 'integration.revoke_key')
      .where('object_id', '=', goneId)
      .where('result', '=', 'success')
      .execute();
    expect(revocations).toHaveLength(1);
    const start = h.clock.now().getTime();
    await h.webhookRetries.retryOnce(new Date(start + 5_000));
    expect(tries('/gone')).toHaveLength(1);
    expect(await kept(goneId)).toMatchObject({ status: 'dropped', attempts: 1, next_at: null });
    expect((await kept(goneId))!.last_error).toContain('revoked');
    expect(await kept(downId)).toMatchObject({ status: 'pending', attempts: 2 });
    // A delivery that ended is forgotten when the outbox no longer keeps its event (8 days on); a pending one
    // never is.
    const DAY = 86_400_000;
    await h.webhookRetries.pruneOnce(new Date(start + 8 * DAY));
    expect(await kept(goneId)).toMatchObject({ status: 'dropped' });
    expect(await h.webhookRetries.pruneOnce(new Date(start + 8 * DAY + 10_000))).toBeGreaterThan(0);
    expect(await kept(goneId)).toBeUndefined();
    await h.webhookRetries.pruneOnce(new Date(start + 365 * DAY));
    expect(await kept(downId)).toMatchObject({ status: 'pending', attempts: 2 });
    // Within three days it is still tried, an hour apart at the most; past them, once more and given up.
    await h.webhookRetries.retryOnce(new Date(start + 71 * 3_600_000));
    expect(await kept(downId)).toMatchObject({ status: 'pending', attempts: 3 });
    expect((await kept(downId))!.next_at!.getTime()).toBeLessThanOrEqual(start + 72 * 3_600_000);
    await h.webhookRetries.retryOnce(new Date(start + 72 * 3_600_000 + 60_000));
    expect(await kept(downId)).toMatchObject({ status: 'dropped', attempts: 4, next_at: null });
    expect((await kept(downId))!.last_error).toContain('503');
    expect(tries('/down')).toHaveLength(4);
    await h.webhookRetries.retryOnce(new Date(start + 30 * 86_400_000));
    expect(tries('/down')).toHaveLength(4);
  });

  it('looks up a batch’s banks’ webhooks in one statement, and posts only what was sent to a bank that has one', async () => {
    const change = (bankCode: string, status: string) =>
      ({
        id: randomUUID(),
        subject: 'bank-instruction.changed',
        version: 1,
        occurredAt: h.clock.now().toISOString(),
        data: {
          bankCode,
          item: {
            status,
            instruction: { instructionId: randomUUID(), bankCode },
          } as unknown as SignedInstruction,
        },
      }) satisfies EventEnvelope<'bank-instruction.changed'>;
    // Three banks without a webhook and an answered instruction of one with: nothing to post.
    const quiet = [
      change('ICBC', 'sent'),
      change('CCB', 'sent'),
      change('ABC', 'sent'),
      change('BOC', 'acknowledged'),
    ];
    const counting = countingDb(database().db);
    const deps = {
      db: counting.db,
      signer: createSigner(Buffer.alloc(32, 9)),
      clock: h.clock,
      allow: [origin],
      log: h.app.log,
    };
    const before = received.length;
    await deliverInstructions(deps, quiet);
    expect(counting.count(), counting.kinds.join(', ')).toBe(1);
    expect(received.length).toBe(before);
    // One sent to the bank with a webhook among them: posted once, even when the batch comes again.
    const toBoc = change('BOC', 'sent');
    await deliverInstructions(deps, [...quiet, toBoc]);
    await deliverInstructions(deps, [...quiet, toBoc]);
    const posted = received.slice(before);
    expect(posted.map((r) => r.body.deliveryId)).toEqual([toBoc.id]);
  });

  it('sends a signed test delivery to the calling key’s webhook on request', async () => {
    const before = received.length;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/bank/webhook/test',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<WebhookTestResult>()).toMatchObject({ status: 200, error: null });
    const test = received.slice(before).find((r) => r.body.event === 'test');
    expect(test?.body).toMatchObject({ item: null, deliveryId: res.json<WebhookTestResult>().deliveryId });
    // A liaison's session has no webhook of its own.
    await h.createUser({ username: 'boc', displayName: 'boc', role: 'bank_liaison', bankCode: 'BOC' });
    const session = await h.signIn('boc');
    const noHook = await h.app.inject({
      method: 'POST',
      url: '/api/bank/webhook/test',
      headers: { cookie: session },
    });
    expect(noHook.statusCode).toBe(409);
  });

  it('refuses webhooks that could reach the centre’s own network, or go over plain http, unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:5432/',
      'https://127.0.0.1/',
      'https://localhost:8443/x',
      'https://localhost.:8443/x',
      'https://hooks.localhost./x',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::127.0.0.1]/hook',
      'https://[64:ff9b::169.254.169.254]/latest/meta-data',
      'https://[2002:a00:1::1]/hook',
      'http://bank.example.com/hook',
      'ftp://bank.example.com/x',
    ]) {
      const res = await createKey(url);
      expect(res.statusCode, url).toBe(400);
      expect(
        res.json<ErrorBody>().error.details?.map((d) => d.field),
        url,
      ).toContain('body.webhookUrl');
    }
    expect((await createKey('https://gateway.bank.example.com/fanzha')).statusCode).toBe(201);
  });

  it('refuses a webhook URL with a username or password — an allowed origin’s too — writing no key', async () => {
    const keys = async () =>
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/integrations/bank-keys',
          headers: { cookie: c.root! },
        })
      ).json<{ keys: unknown[] }>().keys.length;
    const before = await keys();
    const allowedWithPassword = origin.replace('//', '//gw:secret@');
    for (const url of [
      'https://user:pw@gateway.bank.example.com/fanzha',
      'https://user@gateway.bank.example.com/fanzha',
      'https://:pw@gateway.bank.example.com/fanzha',
      `${allowedWithPassword}/fanzha`,
    ]) {
      const res = await createKey(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json<ErrorBody>().error.details, url).toEqual([
        expect.objectContaining({ field: 'body.webhookUrl', reason: 'credentials' }),
      ]);
      expect(res.body, url).not.toContain('pw');
    }
    expect(await keys()).toBe(before);
  });
});

describe('webhook targets', () => {
  it('knows the internal ranges, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '202.96.128.86', '2001:4860:4860::8888'])
      expect(isInternalAddress(a), a).toBe(false);
  });

  it('refuses documentation, benchmarking, discard-only and Teredo addresses, which no gateway has', () => {
    for (const a of [
      '192.0.2.10',
      '198.51.100.7',
      '203.0.113.200',
      '192.88.99.1',
      '2001:db8::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:2::1',
      '2001:20::1',
      '100::1',
    ]) {
      expect(isInternalAddress(a), a).toBe(true);
      expect(webhookUrlProblem(`https://${a.includes(':') ? `[${a}]` : a}/hook`, [])?.reason, a).toBe(
        'internal_address',
      );
    }
    // Their neighbours stay public.
    for (const a of ['192.0.3.1', '198.51.101.1', '203.0.114.1', '2001:db9::1', '2001:4860::1'])
      expect(isInternalAddress(a), a).toBe(false);
  });

  // IPv6 forms that carry an IPv4 address, each as a URL writes it and as DNS or the URL parser answers it:
  // internal when the IPv4 address is, public when it is.
  const carried = [
    // IPv4-compatible (::/96)
    {
      internal: ['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::a9fe:a9fe'],
      public: ['::8.8.8.8', '::808:808'],
    },
    // IPv4-mapped (::ffff:0:0/96), refused before too
    { internal: ['::ffff:127.0.0.1', '::ffff:7f00:1'], public: ['::ffff:8.8.8.8'] },
    // IPv4-translated (::ffff:0:0:0/96)
    { internal: ['::ffff:0:127.0.0.1', '::ffff:0:a00:1'], public: ['::ffff:0:808:808'] },
    // NAT64, the well-known prefix (64:ff9b::/96)
    {
      internal: ['64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::c0a8:1', '64:FF9B:0:0:0:0:0A00:0001'],
      public: ['64:ff9b::8.8.8.8', '64:ff9b::808:808'],
    },
    // NAT64, the local-use prefix (64:ff9b:1::/48): refused whole
    { internal: ['64:ff9b:1::8.8.8.8', '64:ff9b:1:a00:1::', '64:ff9b:1:ffff::1'], public: [] },
    // 6to4 (2002::/16): the IPv4 address in bits 16–48
    {
      internal: ['2002:7f00:1::', '2002:a00:1::1', '2002:a9fe:a9fe:1::5', '2002:c0a8:101::1'],
      public: ['2002:808:808::1', '2002:ca60:8056::'],
    },
  ];

  it('judges an IPv6 address that carries an IPv4 address by that IPv4 address', () => {
    for (const form of carried) {
      for (const a of form.internal) expect(isInternalAddress(a), a).toBe(true);
      for (const a of form.public) expect(isInternalAddress(a), a).toBe(false);
    }
  });

  it('refuses such a literal in a webhook URL', () => {
    for (const form of carried) {
      for (const a of form.internal)
        expect(webhookUrlProblem(`https://[${a}]/hook`, [])?.reason, a).toBe('internal_address');
      for (const a of form.public) expect(webhookUrlProblem(`https://[${a}]/hook`, []), a).toBeUndefined();
    }
  });

  it('refuses such an address in the DNS answer at connection time, as the connection’s lookup', async () => {
    const lookupAnswering = (address: string) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
        publicOnlyLookupWith((_host, _options, callback) =>
          callback(null, [
            { address: '2001:4860:4860::8888', family: 6 },
            { address, family: 6 },
          ]),
        )('bank.example.com', {}, (err, first) => resolve({ err, address: first })),
      );
    for (const form of carried) {
      for (const a of form.internal) expect((await lookupAnswering(a)).err?.code, a).toBe('EINTERNALADDRESS');
      for (const a of form.public)
        expect(await lookupAnswering(a), a).toEqual({ err: null, address: '2001:4860:4860::8888' });
    }
  });

  it('refuses a URL with a username or password, whatever its target, and only a new key’s', () => {
    for (const url of [
      'https://user:pw@bank.example.com/x',
      'https://user@bank.example.com/x',
      'https://:pw@bank.example.com/x',
      'http://gw:secret@127.0.0.1:9000/x',
      'https://user:pw@10.0.0.1/x',
    ])
      expect(webhookUrlProblem(url, ['http://127.0.0.1:9000'])?.reason, url).toBe('credentials');
    // `@` with nothing before it, or escaped in the path, is no credential.
    expect(webhookUrlProblem('https://@bank.example.com/x', [])).toBeUndefined();
    expect(webhookUrlProblem('https://bank.example.com/a%40b', [])).toBeUndefined();
    // A delivery to a URL already stored is judged by its target only.
    expect(webhookTargetProblem('https://user:pw@bank.example.com/x', [])).toBeUndefined();
    expect(webhookTargetProblem('https://user:pw@10.0.0.1/x', [])?.reason).toBe('internal_address');
  });

  it('lets an operator allow an origin, and only that origin', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9000/x', ['http://127.0.0.1:9000'])).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:9001/x', ['http://127.0.0.1:9000'])?.reason).toBe('not_https');
  });

  it('refuses at connection time a name that resolves to an internal address', async () => {
    const result = await new Promise<{ err: NodeJS.ErrnoException | null }>((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (err) => resolve({ err })),
    );
    expect(result.err?.code).toBe('EINTERNALADDRESS');
  });
});
