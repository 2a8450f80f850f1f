import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type {
  CarrierRequestView,
  CountermeasureBatchView,
  CountermeasureView,
  EpisodeList,
  EpisodeView,
  ErrorBody,
  PartyNotice,
  SigningKey,
} from '@fanzha/contracts';
import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../platform/crypto/signer';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';

/** Parties' webhooks told of what awaits them: carrier assist requests and countermeasures, as signed notices. */
const publicKeyPem = () =>
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

const fraudPhone: IndicatorSnapshot = {
  id: 8,
  kind: 'phone',
  value: '+8617100001111',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};

describeEachStorage('party notices on webhooks', (database) => {
  let h: Harness;
  let party: Server;
  let origin = '';
  const received: Array<{ path: string; body: PartyNotice; signature: string; status: number }> = [];
  let failuresLeft = 0;
  const c: Record<string, string> = {};
  const keys: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    // The parties' own endpoint: answers 503 while `failuresLeft` lasts, then 200.
    party = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const status = failuresLeft-- > 0 ? 503 : 200;
        received.push({
          path: req.url ?? '',
          body: JSON.parse(text) as PartyNotice,
          signature: String(req.headers['x-fanzha-signature']),
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => party.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(party.address() as { port: number }).port}`;
    h = await createHarness(database(), { env: { FANZHA_WEBHOOK_ALLOW: origin } });
    await openFieldKeys(database().db, createFieldKeys(Buffer.alloc(32, 9)), h.clock.now());
    await createCast(h, [
      ['ana', 'analyst', {}],
      ['sup', 'supervisor', {}],
      ['desk', 'persuader', {}],
      ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
      ['root', 'admin', {}],
    ]);
    for (const u of ['ana', 'sup', 'desk', 'unicom', 'root']) c[u] = await h.signIn(u);
    const unicom = await post('root', '/api/integrations/signal-keys', {
      name: 'Unicom gateway',
      sender: { kind: 'operator', operator: 'china_unicom' },
      publicKeyPem: publicKeyPem(),
      webhookUrl: `${origin}/unicom`,
    });
    expect(unicom.statusCode, unicom.body).toBe(201);
    expect(unicom.json<{ webhookUrl: string }>().webhookUrl).toBe(`${origin}/unicom`);
    keys.unicom = unicom.json<{ key: string }>().key;
    const boc = await post('root', '/api/integrations/bank-keys', {
      name: 'BOC gateway',
      bankCode: 'BOC',
      publicKeyPem: publicKeyPem(),
      webhookUrl: `${origin}/boc`,
    });
    expect(boc.statusCode, boc.body).toBe(201);
    keys.boc = boc.json<{ key: string }>().key;
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => party.close(r));
  });

  function post(who: string, url: string, payload: object) {
    return h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, 'idempotency-key': `pn-${++n}` },
      payload,
    });
  }
  const withKey = (key: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const delivered = (path: string, id: string) =>
    received.filter((r) => r.path === path && r.body.id === id && r.status === 200).map((r) => r.body);
  const keyCount = async () =>
    (
      await h.app.inject({
        method: 'GET',
        url: '/api/integrations/signal-keys',
        headers: { cookie: c.root! },
      })
    ).json<{ keys: unknown[] }>().keys.length;
  const signingKey = async () =>
    (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>().publicKeyPem;

  it('refuses a webhook on an upstream centre’s key, an internal one and one with credentials, writing no key', async () => {
    const before = await keyCount();
    const upstream = await post('root', '/api/integrations/signal-keys', {
      name: 'national gateway',
      sender: { kind: 'upstream', centre: 'national' },
      publicKeyPem: publicKeyPem(),
      webhookUrl: 'https://example.org/hook',
    });
    expect(upstream.statusCode).toBe(400);
    expect(upstream.json<ErrorBody>().error.details).toEqual([
      expect.objectContaining({ field: 'body.webhookUrl', reason: 'not_for_sender' }),
    ]);
    const internal = await post('root', '/api/integrations/signal-keys', {
      name: 'mobile gateway',
      sender: { kind: 'operator', operator: 'china_mobile' },
      publicKeyPem: publicKeyPem(),
      webhookUrl: 'https://10.1.2.3/hook',
    });
    expect(internal.statusCode).toBe(400);
    expect(internal.json<ErrorBody>().error.details![0]!.field).toBe('body.webhookUrl');
    // Credentials in the URL would be shown in the key list and the audit trail: refused, an allowed origin's too.
    for (const webhookUrl of ['https://gw:secret@example.org/hook', origin.replace('//', '//gw:secret@')]) {
      const withPassword = await post('root', '/api/integrations/signal-keys', {
        name: 'mobile gateway',
        sender: { kind: 'operator', operator: 'china_mobile' },
        publicKeyPem: publicKeyPem(),
        webhookUrl,
      });
      expect(withPassword.statusCode, webhookUrl).toBe(400);
      expect(withPassword.json<ErrorBody>().error.details, webhookUrl).toEqual([
        expect.objectContaining({ field: 'body.webhookUrl', reason: 'credentials' }),
      ]);
    }
    expect(await keyCount()).toBe(before);
  });

  it('tells each party of the countermeasures awaiting it — tried again until taken — and of a lift, not of its own answers', async () => {
    failuresLeft = 1;
    const res = await post('ana', '/api/countermeasures', {
      items: [
        { kind: 'block_phone', value: '17100002222', partyCode: 'china_unicom', reason: '涉诈号码' },
        { kind: 'restrict_account', value: '6222020200112233446', partyCode: 'BOC', reason: '涉诈账户' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const [block, restrict] = res.json<CountermeasureBatchView>().items;
    // One of the two first attempts is refused: kept, and taken when the sweep tries it again.
    await expect.poll(() => received.filter((r) => r.status === 503).length, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(async () => {
        await h.webhookRetries.retryOnce(new Date(h.clock.now().getTime() + 60_000));
        return delivered('/unicom', block!.id).length + delivered('/boc', restrict!.id).length;
      })
      .toBe(2);
    await expect.poll(() => delivered('/boc', restrict!.id).length, { timeout: 10_000 }).toBe(1);
    const notice = delivered('/unicom', block!.id)[0]!;
    expect(notice).toMatchObject({ event: 'countermeasure', id: block!.id, status: 'requested' });
    // The failed try and its retry carried the one delivery id; the notice verifies with the centre's key.
    const tries = received.filter((r) => r.body.id === block!.id || r.body.id === restrict!.id);
    expect(tries.filter((r) => r.status === 503)).toHaveLength(1);
    expect(new Set(tries.filter((r) => r.path === '/unicom').map((r) => r.body.deliveryId)).size).toBe(1);
    const pem = await signingKey();
    const taken = received.find((r) => r.status === 200 && r.body.id === block!.id)!;
    expect(verifySignature(pem, taken.body, taken.signature)).toBe(true);
    expect(verifySignature(pem, { ...taken.body, status: 'lifted' }, taken.signature)).toBe(false);
    // Nothing of the target travels in the notice: the operator reads it with its key.
    expect(JSON.stringify(notice)).not.toContain('2222');
    const read = await withKey(keys.unicom!, `/api/countermeasures/${block!.id}`);
    expect(read.json<CountermeasureView>()).toMatchObject({ value: '+8617100002222', status: 'requested' });
    // Another party is not told.
    expect(delivered('/boc', block!.id)).toEqual([]);

    // The operator's own answers are no news to it; a lift asked by the centre is.
    for (const answer of ['acknowledged', 'executed']) {
      const r = await post('unicom', `/api/countermeasures/${block!.id}/answer`, { answer });
      expect(r.statusCode, r.body).toBe(200);
    }
    const lift = await post('sup', `/api/countermeasures/${block!.id}/lift`, { reason: '申诉成立' });
    expect(lift.json<CountermeasureView>().status).toBe('lift_requested');
    await expect.poll(() => delivered('/unicom', block!.id).length, { timeout: 10_000 }).toBe(2);
    expect(delivered('/unicom', block!.id).map((d) => d.status)).toEqual(['requested', 'lift_requested']);
  });

  it('tells the operator of a carrier assist request, which its key then reads with the line to interrupt', async () => {
    const phone = '+8613800200009';
    const hit = {
      source: 'operator:china_unicom',
      signalId: 'notice-sig-1',
      signalKind: 'call',
      at: h.clock.now().toISOString(),
      person: { phone, idNumber: null, name: null, countyCode: '520102' },
      indicator: fraudPhone,
      amountFen: null,
      upstreamGrade: null,
    } satisfies ScreeningHit;
    const db = withFieldKeys(database().db, createFieldKeys(Buffer.alloc(32, 9)));
    await db.transaction().execute((trx) => h.app.services.recordHits(trx, [hit]));
    const list = await h.app.inject({
      method: 'GET',
      url: '/api/episodes?limit=200',
      headers: { cookie: c.desk! },
    });
    const episode = list.json<EpisodeList>().episodes.find((e) => e.personPhoneMasked?.endsWith('0009'))!;
    const busy = await post('desk', `/api/episodes/${episode.id}/outcome`, { outcome: 'line_busy' });
    expect(busy.json<EpisodeView>().step).toBe('carrier_assist');
    await expect
      .poll(() => received.filter((r) => r.path === '/unicom' && r.body.event === 'carrier_request').length, {
        timeout: 10_000,
      })
      .toBe(1);
    const notice = received.find((r) => r.body.event === 'carrier_request')!.body;
    expect(notice.status).toBe('open');
    expect(JSON.stringify(notice)).not.toContain('0009');
    const read = await withKey(keys.unicom!, `/api/carrier-requests/${notice.id}`);
    expect(read.json<CarrierRequestView>()).toMatchObject({ episodeId: episode.id, phone, status: 'open' });
  });
});
