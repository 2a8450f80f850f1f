import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import type { DeadLetterList, ErrorBody, SignalBatchResponse } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { indicator, listReader, recordingWarnings } from '../../../testing/screening-kit';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';

const at = '2026-05-01T07:59:00Z';
const MULE = '31001234567890';
const transfer = (id: string, account: string, extra: object = {}) => ({
  id,
  at,
  payer: { phone: '+8613900139000', idNumber: null, name: '张三' },
  payee: { account, name: '李四' },
  amountFen: 5_000_000,
  channel: 'mobile_banking',
  countyCode: '520102',
  ...extra,
});
const call = (id: string, from: string) => ({
  id,
  at,
  subscriber: '+8613800138000',
  countyCode: '520102',
  from,
  durationS: 30,
  isInternational: false,
});

describeEachStorage('screening', (database) => {
  let h: Harness;
  let sink: Awaited<ReturnType<typeof recordingWarnings>>;
  const reader = listReader([indicator(1, 'account', MULE), indicator(2, 'phone', '+8617012345678')]);
  const c: Record<string, string> = {};
  let apiKey = '';
  let privateKey: KeyObject;

  beforeAll(async () => {
    sink = await recordingWarnings(database().db);
    h = await createHarness(database(), { screening: { indicators: reader, warnings: sink } });
    await h.app.services.screening.loadMatcher();
    const cast = [
      ['root', 'admin', {}],
      ['sup', 'supervisor', {}],
      ['taker', 'call_taker', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ] as const;
    await createCast(h, cast);
    Object.assign(c, await signInCast(h, cast));
    const keys = generateKeyPairSync('ed25519');
    privateKey = keys.privateKey;
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: {
        name: 'ICBC signals',
        bankCode: 'ICBC',
        publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    apiKey = created.json<{ key: string }>().key;
  });
  afterAll(() => h?.close());

  const sign = (body: unknown) =>
    edSign(null, Buffer.from(canonicalJson({ signalBatch: body })), privateKey).toString('base64');
  const send = (body: unknown, signature: string | null = sign(body), auth = `Bearer ${apiKey}`) =>
    h.app.inject({
      method: 'POST',
      url: '/api/bank/signals',
      headers: {
        ...(auth.startsWith('Bearer') ? { authorization: auth } : { cookie: auth }),
        ...(signature ? { 'x-fanzha-signature': signature } : {}),
      },
      payload: body as object,
    });
  const deadLetters = async (who = 'sup', query = '') => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/signals/dead-letters${query}`,
      headers: { cookie: c[who]! },
    });
    return res;
  };
  const counts = async () => {
    const r = await sql<{ d: number; o: number }>`
      select (select count(*) from signal_dead_letter) as d, (select count(*) from outbox) as o`.execute(
      database().db,
    );
    return { ...r.rows[0]!, hits: (await sink.rows()).length };
  };

  /** The audit trail's entries of batches sent (one per request that was taken), oldest first. */
  const sentBatches = async () =>
    (
      await sql<{ username: string | null; details: Record<string, unknown> }>`
        select username, details from audit_entry
        where action = 'bank-signals.send' and result = 'success' order by id`.execute(database().db)
    ).rows;

  describe('POST /api/bank/signals', () => {
    it('screens a signed batch, answers each signal, and warns once when it is sent again', async () => {
      const body = {
        sentAt: at,
        signals: [
          transfer('icbc-1', '3100-1234-5678-90'),
          transfer('icbc-2', '44050146090000000001'),
          { ...transfer('icbc-3', MULE), amountFen: 0 },
          { ...transfer('icbc-4', MULE), channel: 'carrier_pigeon' },
        ],
      };
      const res = await send(body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<SignalBatchResponse>()).toEqual({
        accepted: 2,
        refused: 2,
        hits: 1,
        results: [
          { status: 'accepted', id: 'icbc-1' },
          { status: 'accepted', id: 'icbc-2' },
          {
            status: 'refused',
            id: 'icbc-3',
            problems: [expect.objectContaining({ field: 'signals.2.amountFen', reason: 'too_small' })],
          },
          {
            status: 'refused',
            id: 'icbc-4',
            problems: [expect.objectContaining({ field: 'signals.3.channel', reason: 'invalid_value' })],
          },
        ],
      });
      expect(await sink.rows()).toEqual([{ source: 'bank:ICBC', signal_id: 'icbc-1', indicator_id: 1 }]);
      // One audit entry per batch, in the batch's transaction: who sent it and what became of it.
      expect((await sentBatches()).map((e) => e.details)).toEqual([
        expect.objectContaining({ source: 'bank:ICBC', accepted: 2, refused: 2, hits: 1 }),
      ]);
      const before = await counts();
      const again = await send(body);
      expect(again.json<SignalBatchResponse>()).toMatchObject({ accepted: 2, refused: 2, hits: 1 });
      // Sent again: no second warning, no second dead letter.
      expect(await counts()).toEqual(before);
    });

    it('refuses alone a signal dated more than a day after its receipt, as a dead letter; a day ahead is taken', async () => {
      const received = h.clock.now().getTime();
      const ahead = (ms: number) => new Date(received + ms).toISOString();
      const body = {
        sentAt: at,
        signals: [
          transfer('future-1', MULE, { at: '9999-12-31T23:00:00Z' }),
          transfer('future-2', MULE, { at: ahead(24 * 3_600_000 + 1) }),
          transfer('future-3', MULE, { at: ahead(24 * 3_600_000) }),
        ],
      };
      const before = await counts();
      const res = await send(body);
      expect(res.statusCode, res.body).toBe(200);
      const timeFuture = (field: string): unknown[] => [
        expect.objectContaining({ field, reason: 'time_future' }),
      ];
      expect(res.json<SignalBatchResponse>()).toEqual({
        accepted: 1,
        refused: 2,
        hits: 1,
        results: [
          { status: 'refused', id: 'future-1', problems: timeFuture('signals.0.at') },
          { status: 'refused', id: 'future-2', problems: timeFuture('signals.1.at') },
          { status: 'accepted', id: 'future-3' },
        ],
      });
      const warned = (await sink.rows()).map((r) => r.signal_id);
      expect(warned).toContain('future-3');
      expect(warned).not.toContain('future-1');
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([1, 2]);
    });

    it('refuses a missing or wrong signature, a session, and another role, changing nothing', async () => {
      const body = { sentAt: at, signals: [transfer('icbc-9', MULE)] };
      const before = await counts();
      expect((await send(body, null)).statusCode).toBe(401);
      expect((await send(body, sign({ ...body, sentAt: '2026-05-01T08:00:00Z' }))).statusCode).toBe(401);
      const other = generateKeyPairSync('ed25519').privateKey;
      const forged = edSign(null, Buffer.from(canonicalJson({ signalBatch: body })), other).toString(
        'base64',
      );
      expect((await send(body, forged)).statusCode).toBe(401);
      // A signature over the same body for another purpose (an answer) does not pass.
      const answerSig = edSign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64');
      expect((await send(body, answerSig)).statusCode).toBe(401);
      const liaison = await send(body, sign(body), c.icbc);
      expect(liaison.statusCode).toBe(403);
      expect((await send(body, sign(body), c.taker)).statusCode).toBe(403);
      expect((await send(body, sign(body), 'Bearer fz_nonsense')).statusCode).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('refuses a malformed body whole in the one error shape, changing nothing', async () => {
      const before = await counts();
      for (const [body, field] of [
        [{ sentAt: at, signals: [] }, 'body.signals'],
        [{ sentAt: at, signals: [transfer('x', MULE)], bank: 'CCB' }, 'body.bank'],
        [{ signals: [transfer('x', MULE)] }, 'body.sentAt'],
        [{ sentAt: 'yesterday', signals: [transfer('x', MULE)] }, 'body.sentAt'],
        [{ sentAt: at, signals: ['not an object'] }, 'body.signals.0'],
      ] as const) {
        const res = await send(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json<ErrorBody>().error.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      const tooMany = {
        sentAt: at,
        signals: Array.from({ length: 5001 }, (_, i) => transfer(`m${i}`, MULE)),
      };
      expect((await send(tooMany)).statusCode).toBe(400);
      const nul = await send({ sentAt: at, signals: [transfer('n\u0000', MULE)] });
      expect(nul.statusCode).toBe(400);
      expect(await counts()).toEqual(before);
    });
  });

  describe('with NATS: an API process publishes the good signals for the workers', () => {
    let api: Harness;
    const published: Array<[string, { signals: Array<{ id: string }> }]> = [];
    beforeAll(async () => {
      api = await createHarness(database(), {
        isWorker: false,
        screening: {
          indicators: reader,
          warnings: sink,
          publisher: {
            publish: async (kind, batch) =>
              void published.push([kind, batch as { signals: Array<{ id: string }> }]),
            close: async () => undefined,
          },
        },
      });
    });
    afterAll(() => api?.close());

    it('answers each signal, publishes only the accepted ones, keeps the refused as dead letters, warns nobody itself', async () => {
      const body = {
        sentAt: at,
        signals: [transfer('pub-1', MULE), { ...transfer('pub-2', MULE), amountFen: 1.5 }],
      };
      const before = await counts();
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/bank/signals',
        headers: { authorization: `Bearer ${apiKey}`, 'x-fanzha-signature': sign(body) },
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<SignalBatchResponse>()).toMatchObject({ accepted: 1, refused: 1, hits: null });
      expect(published).toEqual([
        [
          'bank',
          expect.objectContaining({
            kind: 'bank',
            bank: 'ICBC',
            signals: [expect.objectContaining({ id: 'pub-1' })],
          }),
        ],
      ]);
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([0, 1]);
      expect((await sentBatches()).at(-1)?.details).toMatchObject({ accepted: 1, refused: 1, hits: null });
    });
  });

  describe('dead letters', () => {
    it('keeps an unreadable batch and a poison signal, screens the good one beside it, and keeps each once', async () => {
      const { screening } = h.app.services;
      const poisoned = JSON.stringify({
        kind: 'call',
        operator: 'china_unicom',
        sentAt: at,
        signals: [call('cu-1', '17012345678'), { ...call('cu-2', '17012345678'), durationS: 'long' }],
      });
      const before = await counts();
      await screening.screen(poisoned, 'nats');
      await screening.screen('{"kind":"call", garbage', 'nats');
      // Redelivered: nothing new.
      await screening.screen(poisoned, 'nats');
      await screening.screen('{"kind":"call", garbage', 'nats');
      const after = await counts();
      expect(after.hits - before.hits).toBe(1);
      expect(after.d - before.d).toBe(2);
      expect(await sink.rows()).toContainEqual({
        source: 'operator:china_unicom',
        signal_id: 'cu-1',
        indicator_id: 2,
      });
      const list = (await deadLetters()).json<DeadLetterList>();
      expect(list.deadLetters.slice(0, 2)).toEqual([
        expect.objectContaining({
          via: 'nats',
          kind: null,
          signalId: null,
          problems: [expect.objectContaining({ field: 'batch', reason: 'invalid_json' })],
          excerpt: '{"kind":"call", garbage',
        }),
        expect.objectContaining({
          via: 'nats',
          kind: 'call',
          source: 'operator:china_unicom',
          signalId: 'cu-2',
          problems: [expect.objectContaining({ field: 'signals.1.durationS', reason: 'invalid_type' })],
        }),
      ]);
      expect(list.total).toBe(after.d);
    });

    it('keeps a batch whose parse error quotes a NUL character (cleaned), never failing on it', async () => {
      const before = await counts();
      await h.app.services.screening.screen('\u0000{not json', 'nats');
      expect((await counts()).d - before.d).toBe(1);
      const newest = (await deadLetters('sup', '?limit=1')).json<DeadLetterList>().deadLetters[0]!;
      expect(newest.excerpt).toBe('?{not json');
      expect(JSON.stringify(newest.problems)).not.toContain('\\u0000');
    });

    it('commits nothing of a batch whose hits could not be kept, so its redelivery warns', async () => {
      const { screening } = h.app.services;
      const batch = JSON.stringify({
        kind: 'call',
        operator: 'china_telecom',
        sentAt: at,
        signals: [call('ct-1', '17012345678'), { ...call('ct-2', '1'), from: 1 }],
      });
      const before = await counts();
      sink.failNext(1);
      await expect(screening.screen(batch, 'nats')).rejects.toThrow(/connection lost/);
      expect(await counts()).toEqual(before);
      await screening.screen(batch, 'nats');
      const after = await counts();
      expect([after.hits - before.hits, after.d - before.d]).toEqual([1, 1]);
    });

    it('keeps at most 20 dead letters of one batch and says how many more there were', async () => {
      const { screening } = h.app.services;
      const before = await counts();
      await screening.screen(
        {
          kind: 'sms',
          operator: 'china_mobile',
          sentAt: at,
          signals: Array.from({ length: 50 }, (_, i) => ({ id: `bad-${i}` })),
        },
        'in_process',
      );
      expect((await counts()).d - before.d).toBe(20);
      const newest = (await deadLetters('root', '?limit=1')).json<DeadLetterList>().deadLetters[0]!;
      expect(newest.problems.at(-1)).toMatchObject({
        reason: 'more_refused',
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- an asymmetric matcher
        message: expect.stringMatching(/^30 more/),
      });
    });

    it('pages back, and is for admins and supervisors only', async () => {
      const first = (await deadLetters('sup', '?limit=2')).json<DeadLetterList>().deadLetters;
      const next = (await deadLetters('sup', `?limit=2&before=${first[1]!.id}`)).json<DeadLetterList>()
        .deadLetters;
      expect(Number(next[0]!.id)).toBeLessThan(Number(first[1]!.id));
      expect((await deadLetters('taker')).statusCode).toBe(403);
      expect((await deadLetters('icbc')).statusCode).toBe(403);
      expect((await deadLetters('sup', '?limit=0')).statusCode).toBe(400);
      expect((await deadLetters('sup', '?before=x')).statusCode).toBe(400);
      expect((await deadLetters('sup', '?whatever=1')).statusCode).toBe(400);
    });
  });
});
