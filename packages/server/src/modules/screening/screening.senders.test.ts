import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import type {
  CreatedSignalKey,
  ErrorBody,
  SignalBatchResponse,
  SignalKeyList,
  SignalKeyView,
} from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { indicator, listReader, recordingWarnings } from '../../../testing/screening-kit';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';

/** Operators' and upstream centres' batches over HTTPS: their keys, signatures, answers and dead letters. */

const at = '2026-05-01T07:59:00Z';
const FRAUD_PHONE = '+8617012345678';
const call = (id: string, from: string, extra: object = {}) => ({
  id,
  at,
  subscriber: '+8613800138000',
  countyCode: '520102',
  from,
  durationS: 30,
  isInternational: false,
  ...extra,
});
const upstreamWarning = (id: string, extra: object = {}) => ({
  id,
  at,
  level: 'high',
  person: { phone: '+8613900139001', idNumber: null, name: '王五' },
  countyCode: '520102',
  reason: '国家中心研判：正在与冒充客服的诈骗分子通话',
  ...extra,
});

interface Sender {
  key: string;
  id: string;
  privateKey: KeyObject;
}

const newPair = () => generateKeyPairSync('ed25519');
const pemOf = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
const signWith = (privateKey: KeyObject, body: unknown) =>
  edSign(null, Buffer.from(canonicalJson({ signalBatch: body })), privateKey).toString('base64');

describeEachStorage('signals from operators and upstream centres over HTTPS', (database) => {
  let h: Harness;
  let sink: Awaited<ReturnType<typeof recordingWarnings>>;
  const reader = listReader([indicator(1, 'phone', FRAUD_PHONE)]);
  const c: Record<string, string> = {};
  const senders: Record<'mobile' | 'national', Sender> = {} as never;
  let bankKey = '';
  let bankPrivate: KeyObject;

  const createKey = (body: object, cookie = c.root!) =>
    h.app.inject({
      method: 'POST',
      url: '/api/integrations/signal-keys',
      headers: { cookie },
      payload: body,
    });
  const makeSender = async (sender: object): Promise<Sender> => {
    const pair = newPair();
    const res = await createKey({ name: 'signal gateway', sender, publicKeyPem: pemOf(pair.publicKey) });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<CreatedSignalKey>();
    return { key: created.key, id: created.id, privateKey: pair.privateKey };
  };

  beforeAll(async () => {
    sink = await recordingWarnings(database().db, 'test_sender_hit');
    h = await createHarness(database(), { screening: { indicators: reader, warnings: sink } });
    await h.app.services.screening.loadMatcher();
    const cast = [
      ['root', 'admin', {}],
      ['sup', 'supervisor', {}],
      ['analyst', 'analyst', {}],
    ] as const;
    await createCast(h, cast);
    await h.createUser({
      username: 'mobile',
      displayName: 'mobile',
      role: 'telecom_liaison',
      operatorCode: 'china_mobile',
    });
    Object.assign(c, await signInCast(h, cast), { cm: await h.signIn('mobile') });
    senders.mobile = await makeSender({ kind: 'operator', operator: 'china_mobile' });
    senders.national = await makeSender({ kind: 'upstream', centre: 'national' });
    const bank = newPair();
    bankPrivate = bank.privateKey;
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: { name: 'ICBC gateway', bankCode: 'ICBC', publicKeyPem: pemOf(bank.publicKey) },
    });
    bankKey = created.json<{ key: string }>().key;
  });
  afterAll(() => h?.close());

  const post = (
    url: '/api/operator/signals' | '/api/upstream/signals',
    body: unknown,
    opts: { key?: string | null; signature?: string | null; cookie?: string } = {},
  ) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
        ...(opts.signature ? { 'x-fanzha-signature': opts.signature } : {}),
      },
      payload: body as object,
    });
  const fromOperator = (body: unknown, s: Sender = senders.mobile) =>
    post('/api/operator/signals', body, { key: s.key, signature: signWith(s.privateKey, body) });
  const fromUpstream = (body: unknown, s: Sender = senders.national) =>
    post('/api/upstream/signals', body, { key: s.key, signature: signWith(s.privateKey, body) });

  const counts = async () => {
    const r = await sql<{ d: number }>`select count(*)::int as d from signal_dead_letter`.execute(
      database().db,
    );
    return { d: Number(r.rows[0]!.d), hits: (await sink.rows()).length };
  };
  const sentBatches = async (action: string) =>
    (
      await sql<{ username: string | null; role: string | null; details: Record<string, unknown> }>`
        select username, role, details from audit_entry
        where action = ${action} and result = 'success' order by id`.execute(database().db)
    ).rows;

  describe('signal keys (admin)', () => {
    it('lists the keys with their senders, never a key or its hash, and audits each new one', async () => {
      const res = await h.app.inject({
        method: 'GET',
        url: '/api/integrations/signal-keys',
        headers: { cookie: c.root! },
      });
      expect(res.statusCode).toBe(200);
      const { keys } = res.json<SignalKeyList>();
      expect(keys.map((k) => k.sender)).toEqual(
        expect.arrayContaining([
          { kind: 'operator', operator: 'china_mobile' },
          { kind: 'upstream', centre: 'national' },
        ]),
      );
      expect(res.body).not.toContain('fzs_');
      expect((await sentBatches('integration.create_signal_key')).map((e) => e.details)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ source: 'operator:china_mobile' }),
          expect.objectContaining({ source: 'upstream:national' }),
        ]),
      );
    });

    it('refuses a bad key, an unknown sender or field, and anyone but an admin, keeping nothing', async () => {
      const pem = pemOf(newPair().publicKey);
      const before = (await sentBatches('integration.create_signal_key')).length;
      const refused: Array<[object, string]> = [
        [
          { name: 'x gateway', sender: { kind: 'operator', operator: 'china_mobile' }, publicKeyPem: 'no' },
          'body.publicKeyPem',
        ],
        [
          { name: 'x gateway', sender: { kind: 'operator', operator: 'att' }, publicKeyPem: pem },
          'body.sender.operator',
        ],
        [
          { name: 'x gateway', sender: { kind: 'upstream', centre: 'Nat ional' }, publicKeyPem: pem },
          'body.sender.centre',
        ],
        [
          {
            name: 'x gateway',
            sender: { kind: 'upstream', centre: 'national', bank: 'ICBC' },
            publicKeyPem: pem,
          },
          'body.sender.bank',
        ],
        [
          {
            name: 'x gateway',
            sender: { kind: 'upstream', centre: 'national' },
            publicKeyPem: pem,
            role: 'admin',
          },
          'body.role',
        ],
      ];
      for (const [body, field] of refused) {
        const res = await createKey(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json<ErrorBody>().error.details).toContainEqual(expect.objectContaining({ field }));
      }
      const good = { name: 'y gateway', sender: { kind: 'upstream', centre: 'national' }, publicKeyPem: pem };
      expect((await createKey(good, c.sup)).statusCode).toBe(403);
      expect((await createKey(good, c.cm)).statusCode).toBe(403);
      expect((await sentBatches('integration.create_signal_key')).length).toBe(before);
    });
  });

  describe('POST /api/operator/signals', () => {
    it('screens the good signals of a batch, dead-letters the bad one with its reason, and warns once on a replay', async () => {
      const body = {
        kind: 'call',
        sentAt: at,
        signals: [
          call('cm-1', '170 1234 5678'),
          call('cm-2', '+8613500000000'),
          call('cm-3', FRAUD_PHONE, { durationS: -1 }),
          call('cm-4', FRAUD_PHONE, { carrierNote: 'spoofed' }),
        ],
      };
      const before = await counts();
      const res = await fromOperator(body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<SignalBatchResponse>()).toEqual({
        accepted: 2,
        refused: 2,
        hits: 1,
        results: [
          { status: 'accepted', id: 'cm-1' },
          { status: 'accepted', id: 'cm-2' },
          {
            status: 'refused',
            id: 'cm-3',
            problems: [expect.objectContaining({ field: 'signals.2.durationS', reason: 'too_small' })],
          },
          {
            status: 'refused',
            id: 'cm-4',
            problems: [
              expect.objectContaining({ field: 'signals.3.carrierNote', reason: 'unrecognized_keys' }),
            ],
          },
        ],
      });
      // The operator is the key's.
      expect(await sink.rows()).toContainEqual({
        source: 'operator:china_mobile',
        signal_id: 'cm-1',
        indicator_id: 1,
      });
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([1, 2]);
      const letters = await sql<{ via: string; source: string; signal_id: string; kind: string }>`
        select via, source, signal_id, kind from signal_dead_letter
        where source = 'operator:china_mobile' order by signal_id`.execute(database().db);
      expect(letters.rows).toEqual([
        { via: 'http', source: 'operator:china_mobile', signal_id: 'cm-3', kind: 'call' },
        { via: 'http', source: 'operator:china_mobile', signal_id: 'cm-4', kind: 'call' },
      ]);
      expect((await sentBatches('operator-signals.send')).map((e) => e.details)).toEqual([
        expect.objectContaining({ source: 'operator:china_mobile', accepted: 2, refused: 2, hits: 1 }),
      ]);
      // Replayed: accepted again, no second warning, no second dead letter.
      const again = await fromOperator(body);
      expect(again.json<SignalBatchResponse>()).toMatchObject({ accepted: 2, refused: 2 });
      expect(await counts()).toEqual(after);
    });

    it('takes each kind: a URL visit to a flagged site hits on its registrable domain', async () => {
      reader.set(indicator(2, 'domain', 'evil-loan.cn'));
      await h.app.services.screening.loadMatcher();
      const body = {
        kind: 'url',
        sentAt: at,
        signals: [
          {
            id: 'cm-url-1',
            at,
            subscriber: '+8613800138000',
            countyCode: null,
            url: 'https://m.evil-loan.cn/apply',
            domain: 'evil-loan.cn',
          },
        ],
      };
      const res = await fromOperator(body);
      expect(res.json<SignalBatchResponse>()).toMatchObject({ accepted: 1, refused: 0, hits: 1 });
      expect(await sink.rows()).toContainEqual({
        source: 'operator:china_mobile',
        signal_id: 'cm-url-1',
        indicator_id: 2,
      });
    });
  });

  describe('POST /api/upstream/signals', () => {
    it('warns each good warning as the key’s centre, dead-letters the bad one, and warns once on a replay', async () => {
      const body = {
        sentAt: at,
        signals: [
          upstreamWarning('nat-1'),
          upstreamWarning('nat-2', { level: 'urgent' }),
          upstreamWarning('nat-3', {
            level: 'low',
            person: { phone: null, idNumber: '52010219500101001X', name: null },
          }),
        ],
      };
      const before = await counts();
      const res = await fromUpstream(body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<SignalBatchResponse>()).toEqual({
        accepted: 2,
        refused: 1,
        hits: 2,
        results: [
          { status: 'accepted', id: 'nat-1' },
          {
            status: 'refused',
            id: 'nat-2',
            problems: [expect.objectContaining({ field: 'signals.1.level', reason: 'invalid_value' })],
          },
          { status: 'accepted', id: 'nat-3' },
        ],
      });
      const rows = (await sink.rows()).filter((r) => r.source.startsWith('upstream:'));
      expect(rows).toEqual([
        { source: 'upstream:national', signal_id: 'nat-1', indicator_id: null },
        { source: 'upstream:national', signal_id: 'nat-3', indicator_id: null },
      ]);
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([2, 1]);
      const sent = await sentBatches('upstream-signals.send');
      expect(sent.map((e) => e.details)).toEqual([
        expect.objectContaining({ source: 'upstream:national', accepted: 2, refused: 1, hits: 2 }),
      ]);
      // An upstream centre is none of the centre's people: its entries are not filed under the analysts.
      expect(sent.map((e) => e.role)).toEqual(['upstream_centre']);
      const again = await fromUpstream(body);
      expect(again.json<SignalBatchResponse>()).toMatchObject({ accepted: 2, refused: 1 });
      expect(await counts()).toEqual(after);
    });

    it('never takes the centre from the body: a sender field is refused whole in the one error shape', async () => {
      const before = await counts();
      for (const [url, body, field] of [
        [
          '/api/upstream/signals',
          { centre: 'gz-province', sentAt: at, signals: [upstreamWarning('u')] },
          'body.centre',
        ],
        ['/api/upstream/signals', { sentAt: at, signals: [] }, 'body.signals'],
        [
          '/api/operator/signals',
          { kind: 'call', operator: 'china_unicom', sentAt: at, signals: [call('x', FRAUD_PHONE)] },
          'body.operator',
        ],
        [
          '/api/operator/signals',
          { kind: 'bank', sentAt: at, signals: [call('x', FRAUD_PHONE)] },
          'body.kind',
        ],
        ['/api/operator/signals', { kind: 'call', signals: [call('x', FRAUD_PHONE)] }, 'body.sentAt'],
      ] as const) {
        const sender = url === '/api/upstream/signals' ? senders.national : senders.mobile;
        const res = await post(url, body, { key: sender.key, signature: signWith(sender.privateKey, body) });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const error = res.json<ErrorBody>().error;
        expect(error.code).toBe('validation_failed');
        expect(error.requestId).toBe(res.headers['x-request-id']);
        expect(error.details).toContainEqual(expect.objectContaining({ field }));
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('authentication', () => {
    it('refuses no key, a wrong key or signature, a key of another sender or route, and sessions, changing nothing', async () => {
      const ops = { kind: 'call', sentAt: at, signals: [call('auth-1', FRAUD_PHONE)] };
      const ups = { sentAt: at, signals: [upstreamWarning('auth-2')] };
      const { mobile, national } = senders;
      const other = newPair().privateKey;
      const before = await counts();
      const audited = (await sentBatches('operator-signals.send')).length;
      const status = async (p: ReturnType<typeof post>) => (await p).statusCode;
      // Unauthenticated: 401.
      expect(
        await status(post('/api/operator/signals', ops, { signature: signWith(mobile.privateKey, ops) })),
      ).toBe(401);
      expect(
        await status(
          post('/api/upstream/signals', ups, {
            key: 'fzs_nonsense',
            signature: signWith(national.privateKey, ups),
          }),
        ),
      ).toBe(401);
      expect(await status(post('/api/operator/signals', ops, { key: mobile.key }))).toBe(401);
      expect(
        await status(
          post('/api/operator/signals', ops, { key: mobile.key, signature: signWith(other, ops) }),
        ),
      ).toBe(401);
      expect(
        await status(
          post('/api/upstream/signals', ups, {
            key: national.key,
            signature: signWith(national.privateKey, { ...ups, sentAt: '2026-05-01T08:00:00Z' }),
          }),
        ),
      ).toBe(401);
      // Signed over the body itself, not `{ signalBatch }`: made for another purpose.
      const bare = edSign(null, Buffer.from(canonicalJson(ups)), national.privateKey).toString('base64');
      expect(await status(post('/api/upstream/signals', ups, { key: national.key, signature: bare }))).toBe(
        401,
      );
      // A signal key is a credential on its own sender's route only.
      expect(
        await status(
          post('/api/upstream/signals', ups, {
            key: mobile.key,
            signature: signWith(mobile.privateKey, ups),
          }),
        ),
      ).toBe(401);
      expect(
        await status(
          post('/api/operator/signals', ops, {
            key: national.key,
            signature: signWith(national.privateKey, ops),
          }),
        ),
      ).toBe(401);
      for (const url of ['/api/signals/dead-letters', '/api/auth/session', '/api/indicators'])
        expect(
          (await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${national.key}` } }))
            .statusCode,
          url,
        ).toBe(401);
      // Sessions and a bank's key are not an operator's or a centre's system: 403.
      expect(
        await status(
          post('/api/operator/signals', ops, { cookie: c.cm, signature: signWith(mobile.privateKey, ops) }),
        ),
      ).toBe(403);
      expect(
        await status(
          post('/api/upstream/signals', ups, {
            cookie: c.analyst,
            signature: signWith(national.privateKey, ups),
          }),
        ),
      ).toBe(403);
      expect(
        await status(
          post('/api/operator/signals', ops, { key: bankKey, signature: signWith(bankPrivate, ops) }),
        ),
      ).toBe(403);
      expect(await counts()).toEqual(before);
      expect(await sentBatches('operator-signals.send')).toHaveLength(audited);
    });

    it('refuses a revoked key at once', async () => {
      const sender = await makeSender({ kind: 'upstream', centre: 'gz-province' });
      const body = { sentAt: at, signals: [upstreamWarning('gz-1')] };
      expect((await fromUpstream(body, sender)).statusCode).toBe(200);
      const revoked = await h.app.inject({
        method: 'POST',
        url: `/api/integrations/signal-keys/${sender.id}/revoke`,
        headers: { cookie: c.root! },
        payload: {},
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      const before = await counts();
      expect((await fromUpstream({ ...body, signals: [upstreamWarning('gz-2')] }, sender)).statusCode).toBe(
        401,
      );
      expect(await counts()).toEqual(before);
    });

    it('revokes a key once: revoking it again keeps its revocation time and audits nothing more', async () => {
      const sender = await makeSender({ kind: 'operator', operator: 'china_telecom' });
      const revoke = (id: string) =>
        h.app.inject({
          method: 'POST',
          url: `/api/integrations/signal-keys/${id}/revoke`,
          headers: { cookie: c.root! },
          payload: {},
        });
      const audited = async () =>
        (
          await sql<{ object_id: string }>`
            select object_id from audit_entry
            where action = 'integration.revoke_signal_key' and result = 'success' and object_id = ${sender.id}`.execute(
            database().db,
          )
        ).rows.length;
      const first = await revoke(sender.id);
      expect(first.statusCode, first.body).toBe(200);
      const revokedAt = first.json<SignalKeyView>().revokedAt;
      expect(revokedAt).not.toBeNull();
      h.clock.advance(60_000);
      const again = await revoke(sender.id);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<SignalKeyView>().revokedAt).toBe(revokedAt);
      const listed = (
        await h.app.inject({
          method: 'GET',
          url: '/api/integrations/signal-keys',
          headers: { cookie: c.root! },
        })
      )
        .json<SignalKeyList>()
        .keys.find((k) => k.id === sender.id);
      expect(listed?.revokedAt).toBe(revokedAt);
      expect(await audited()).toBe(1);
      expect((await revoke('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    });
  });

  describe('with NATS: an API process publishes the good signals for the workers', () => {
    let api: Harness;
    const published: Array<[string, Record<string, unknown>]> = [];
    beforeAll(async () => {
      api = await createHarness(database(), {
        isWorker: false,
        screening: {
          indicators: reader,
          warnings: sink,
          publisher: {
            publish: async (kind, batch) => void published.push([kind, batch as Record<string, unknown>]),
            close: async () => undefined,
          },
        },
      });
    });
    afterAll(() => api?.close());

    it('puts each accepted batch on its kind’s subject with the sender from the key, warning nobody itself', async () => {
      const ops = { kind: 'sms', sentAt: at, signals: [{ id: 'pub-sms-1' }] };
      const ups = {
        sentAt: at,
        signals: [upstreamWarning('pub-nat-1'), upstreamWarning('pub-nat-2', { at: 'now' })],
      };
      const before = await counts();
      const send = (url: '/api/operator/signals' | '/api/upstream/signals', body: unknown, s: Sender) =>
        api.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${s.key}`, 'x-fanzha-signature': signWith(s.privateKey, body) },
          payload: body as object,
        });
      const o = await send('/api/operator/signals', ops, senders.mobile);
      expect(o.json<SignalBatchResponse>()).toMatchObject({ accepted: 0, refused: 1, hits: null });
      const u = await send('/api/upstream/signals', ups, senders.national);
      expect(u.json<SignalBatchResponse>()).toMatchObject({ accepted: 1, refused: 1, hits: null });
      // Nothing accepted of the operator's batch: nothing published.
      expect(published).toEqual([
        [
          'upstream',
          {
            kind: 'upstream',
            centre: 'national',
            sentAt: at,
            signals: [expect.objectContaining({ id: 'pub-nat-1' })],
          },
        ],
      ]);
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([0, 2]);
    });
  });
});

describeEachStorage('upstream warnings reach the warnings module', (database) => {
  let h: Harness;
  let sender: Sender;
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [['root', 'admin', {}]] as const);
    const cookie = await h.signIn('root');
    const pair = newPair();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/signal-keys',
      headers: { cookie },
      payload: {
        name: 'national centre',
        sender: { kind: 'upstream', centre: 'national' },
        publicKeyPem: pemOf(pair.publicKey),
      },
    });
    const created = res.json<CreatedSignalKey>();
    sender = { key: created.key, id: created.id, privateKey: pair.privateKey };
  });
  afterAll(() => h?.close());

  it('lists each warning once in the person’s episode, graded at least the centre’s level', async () => {
    const body = {
      sentAt: at,
      signals: [upstreamWarning('nat-ep-1'), upstreamWarning('nat-ep-2', { level: 'bad' })],
    };
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/upstream/signals',
        headers: {
          authorization: `Bearer ${sender.key}`,
          'x-fanzha-signature': signWith(sender.privateKey, body),
        },
        payload: body,
      });
    expect((await send()).json<SignalBatchResponse>()).toMatchObject({ accepted: 1, refused: 1, hits: 1 });
    expect((await send()).statusCode).toBe(200);
    const rows = await sql<{ source: string; signal_id: string; grade: string }>`
      select source, signal_id, grade from episode_warning order by signal_id`.execute(database().db);
    expect(rows.rows).toEqual([{ source: 'upstream:national', signal_id: 'nat-ep-1', grade: 'high' }]);
  });
});
