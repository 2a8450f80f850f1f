import type {
  CarrierRequestList,
  CarrierRequestView,
  EpisodeList,
  EpisodeView,
  ErrorBody,
  ReportDraftInput,
  ReportList,
  ReportView,
} from '@fanzha/contracts';
import { withIdCheckChar, type IndicatorSnapshot, type ScreeningHit } from '@fanzha/domain';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';

const NANMING = '520102';
const MINUTE = 60_000;

const mule: IndicatorSnapshot = {
  id: 7,
  kind: 'account',
  value: '6222020200112233446',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};
const fraudPhone: IndicatorSnapshot = { ...mule, id: 8, kind: 'phone', value: '+8617100001111' };

let seq = 0;
function hit(phone: string, over: Partial<ScreeningHit> = {}, person: Partial<ScreeningHit['person']> = {}) {
  return {
    source: 'operator:china_unicom',
    signalId: `carrier-sig-${++seq}`,
    signalKind: 'call',
    at: '2026-05-01T08:00:00Z',
    person: { phone, idNumber: null, name: null, countyCode: NANMING, ...person },
    indicator: fraudPhone,
    amountFen: null,
    upstreamGrade: null,
    ...over,
  } satisfies ScreeningHit;
}

describeEachStorage('warnings: carrier assist and already paid', (database) => {
  let h: Harness;
  let db: Kysely<DB>;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    db = withFieldKeys(database().db, keys);
    await createCast(h, [
      ['desk', 'persuader', {}],
      ['sup', 'supervisor', {}],
      ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
      ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
      ['taker', 'call_taker', {}],
      ['taker2', 'call_taker', {}],
      ['admin', 'admin', {}],
    ]);
    for (const u of ['desk', 'sup', 'unicom', 'mobile', 'taker', 'taker2', 'admin']) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const record = (hits: ScreeningHit[]) =>
    db.transaction().execute((trx) => h.app.services.recordHits(trx, hits));
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const episode = async (id: string) => (await get('desk', `/api/episodes/${id}`)).json<EpisodeView>();
  const openEpisode = async (phone: string) => {
    const list = (await get('desk', '/api/episodes?limit=200')).json<EpisodeList>().episodes;
    return list.find((e) => e.personPhoneMasked?.endsWith(phone.slice(-4)))!;
  };
  const queue = async (who: string, status = 'open') =>
    (await get(who, `/api/carrier-requests?status=${status}`)).json<CarrierRequestList>().requests;
  const count = async (table: 'audit_entry' | 'report' | 'carrier_request' | 'episode_event') =>
    Number(
      (await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    );
  /** A person on a busy line: carrier assist (and a visit) at once. */
  async function onBusyLine(phone: string, over: Partial<ScreeningHit> = {}) {
    await record([hit(phone, over)]);
    const e = await openEpisode(phone);
    const busy = await post('desk', `/api/episodes/${e.id}/outcome`, { outcome: 'line_busy' });
    expect(busy.json<EpisodeView>().step).toBe('carrier_assist');
    return e.id;
  }

  it('asks the operator whose signal warned, shows it to that operator’s liaison only, live', async () => {
    const phone = '+8613800200001';
    const id = await onBusyLine(phone);
    const mine = (await queue('unicom')).filter((r) => r.episodeId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      operatorCode: 'china_unicom',
      phone,
      countyCode: NANMING,
      asks: ['interrupt_line', 'clear_call_forwarding'],
      status: 'open',
      answer: null,
    });
    // China Mobile issued the segment (138), but the number was ported: Unicom's signal says who serves it.
    expect((await queue('mobile')).filter((r) => r.episodeId === id)).toEqual([]);
    expect((await get('mobile', `/api/carrier-requests/${mine[0]!.id}`)).statusCode).toBe(404);
    const foreign = await post('mobile', `/api/carrier-requests/${mine[0]!.id}/answer`, {
      answer: 'interrupted',
    });
    expect(foreign.statusCode).toBe(404);
    // The persuader sees the request on the episode's carrier contact; the supervisor sees every queue.
    const contact = (await episode(id)).contacts.find((x) => x.channel === 'carrier_assist')!;
    expect(contact.carrier).toMatchObject({
      requestId: mine[0]!.id,
      operatorCode: 'china_unicom',
      status: 'open',
    });
    expect((await queue('sup')).map((r) => r.id)).toContain(mine[0]!.id);
    // Persuaders and call-takers have no operator queue.
    expect((await get('desk', '/api/carrier-requests')).statusCode).toBe(403);
    expect((await get('taker', '/api/carrier-requests')).statusCode).toBe(403);
    // A page read shows subscribers' numbers: audited.
    const entries = await db
      .selectFrom('audit_entry')
      .select(['action', 'username'])
      .where('action', '=', 'carrier_request.list')
      .execute();
    expect(entries.map((e) => e.username)).toContain('unicom');
    // So does one request read on its own (its number in full), and another operator's is none of its.
    const one = await get('unicom', `/api/carrier-requests/${mine[0]!.id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect((await get('mobile', `/api/carrier-requests/${mine[0]!.id}`)).statusCode).toBe(404);
    const reads = await db
      .selectFrom('audit_entry')
      .select(['username', 'object_id'])
      .where('action', '=', 'carrier_request.read')
      .execute();
    expect(reads).toEqual([{ username: 'unicom', object_id: mine[0]!.id }]);
  });

  it('falls back to the number’s segment when no operator signalled', async () => {
    const phone = '+8618900200002';
    const id = await onBusyLine(phone, { source: 'bank:ICBC', signalKind: 'bank_transfer', indicator: mule });
    expect((await queue('unicom')).filter((r) => r.episodeId === id)).toEqual([]);
    const sup = (await queue('sup')).filter((r) => r.episodeId === id);
    expect(sup.map((r) => r.operatorCode)).toEqual(['china_telecom']);
  });

  it('a line interrupted: the contact is done, a persuader calls at once; once only, audited', async () => {
    const phone = '+8613800200003';
    const id = await onBusyLine(phone);
    const [req] = (await queue('unicom')).filter((r) => r.episodeId === id);
    const url = `/api/carrier-requests/${req!.id}/answer`;
    const answered = await post('unicom', url, { answer: 'interrupted' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json<CarrierRequestView>()).toMatchObject({
      status: 'answered',
      answer: 'interrupted',
      answeredBy: 'unicom',
    });
    const e = await episode(id);
    expect(e.step).toBe('human_call');
    expect(e.ladder.history.at(-1)).toMatchObject({ event: 'carrier_interrupted', step: 'human_call' });
    const carrier = e.contacts.find((x) => x.channel === 'carrier_assist')!;
    expect(carrier).toMatchObject({ status: 'sent', carrier: { status: 'answered', answer: 'interrupted' } });
    expect(e.contacts.at(-1)).toMatchObject({ channel: 'human_call', status: 'assigned' });
    expect((await queue('unicom')).map((r) => r.id)).not.toContain(req!.id);
    expect((await queue('unicom', 'answered')).map((r) => r.id)).toContain(req!.id);
    const audit = await db
      .selectFrom('audit_entry')
      .select(['object_id', 'details'])
      .where('action', '=', 'carrier_request.answer')
      .where('object_id', '=', req!.id)
      .execute();
    expect(audit).toHaveLength(1);

    // The same answer again (a retry) changes nothing; another answer is refused.
    const before = {
      audit: await count('audit_entry'),
      events: await count('episode_event'),
      version: e.version,
    };
    const again = await post('unicom', url, { answer: 'interrupted' });
    expect(again.statusCode).toBe(200);
    expect((await episode(id)).version).toBe(before.version);
    expect(await count('episode_event')).toBe(before.events);
    const other = await post('unicom', url, { answer: 'refused', reason: '系统故障' });
    expect(other.statusCode).toBe(409);
    expect(other.json<ErrorBody>().error.details?.[0]).toMatchObject({ reason: 'carrier.answered' });
    expect((await episode(id)).version).toBe(before.version);
  });

  it('a refusal needs its reason and sends the visit; an answer after the step only records it', async () => {
    const phone = '+8613800200004';
    const id = await onBusyLine(phone);
    const [req] = (await queue('unicom')).filter((r) => r.episodeId === id);
    const url = `/api/carrier-requests/${req!.id}/answer`;
    const before = await count('audit_entry');
    const bare = await post('unicom', url, { answer: 'refused' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'body.reason',
      reason: 'required',
    });
    expect((await post('unicom', url, { answer: 'refused', extra: 1 })).statusCode).toBe(400);
    expect((await get('unicom', `/api/carrier-requests/${req!.id}`)).json<CarrierRequestView>().status).toBe(
      'open',
    );
    // Refused requests are audited as refusals; nothing else was written.
    expect(await count('carrier_request')).toBeGreaterThan(0);
    expect(await count('audit_entry')).toBeGreaterThanOrEqual(before);
    const refused = await post('unicom', url, { answer: 'refused', reason: '需公安机关书面协查函' });
    expect(refused.json<CarrierRequestView>()).toMatchObject({
      answer: 'refused',
      reason: '需公安机关书面协查函',
    });
    const e = await episode(id);
    expect(e.step).toBe('visit');
    // The visit went out with the busy line already: not a second one.
    expect(e.contacts.filter((x) => x.channel === 'visit')).toHaveLength(1);
    expect(e.contacts.find((x) => x.channel === 'carrier_assist')).toMatchObject({
      status: 'failed',
      failure: 'refused: 需公安机关书面协查函',
    });

    // Another episode, 高 (a transfer to a known account): the carrier step's SLA (10 minutes) runs out
    // first; the late answer moves nothing.
    const late = await onBusyLine('+8613800200005', { signalKind: 'bank_transfer', indicator: mule });
    const [lateReq] = (await queue('unicom')).filter((r) => r.episodeId === late);
    h.clock.advance(11 * MINUTE);
    const moved = await episode(late);
    const answer = await post('unicom', `/api/carrier-requests/${lateReq!.id}/answer`, {
      answer: 'not_our_subscriber',
    });
    expect(answer.statusCode).toBe(200);
    const after = await episode(late);
    expect(after.step).toBe('visit');
    expect(after.ladder.history.map((x) => x.event)).not.toContain('carrier_not_subscriber');
    expect(after.contacts.find((x) => x.channel === 'carrier_assist')).toMatchObject({
      status: 'failed',
      carrier: { answer: 'not_our_subscriber' },
    });
    expect(moved.step).toBe('carrier_assist'); // not swept yet when read: the answer met the ladder as it stood
  });

  it('already paid opens one intake draft, prefilled and linked, in the call-takers’ queue', async () => {
    const phone = '+8613800200006';
    const idNumber = withIdCheckChar('52010219800101123');
    await record([
      hit(
        phone,
        { source: 'bank:ICBC', signalKind: 'bank_transfer', indicator: mule, amountFen: 3_000_000 },
        { idNumber, name: '张三' },
      ),
    ]);
    const e = await openEpisode(phone);
    const url = `/api/episodes/${e.id}/outcome`;
    const reportsBefore = await count('report');
    const paid = await post('desk', url, { outcome: 'already_paid' }, { 'idempotency-key': 'paid-1' });
    const view = paid.json<EpisodeView>();
    expect(view).toMatchObject({ step: 'closed', closeReason: 'already_paid' });
    expect(view.intakeReport).toMatchObject({ status: 'draft' });
    // Retried with its key, and without one: the same draft, no second one.
    await post('desk', url, { outcome: 'already_paid' }, { 'idempotency-key': 'paid-1' });
    await post('desk', url, { outcome: 'already_paid' });
    expect(await count('report')).toBe(reportsBefore + 1);
    expect((await episode(e.id)).intakeReport?.id).toBe(view.intakeReport!.id);

    // In every call-taker's list, with the episode it came from; prefilled, unmasked for them.
    const reportId = view.intakeReport!.id;
    for (const who of ['taker', 'taker2']) {
      const list = (await get(who, '/api/reports?status=draft')).json<ReportList>().reports;
      expect(list.find((r) => r.id === reportId)).toMatchObject({ fromEpisodeId: e.id, countyCode: NANMING });
    }
    const draft = (await get('taker', `/api/reports/${reportId}`)).json<ReportView>();
    expect(draft).toMatchObject({
      status: 'draft',
      fromEpisodeId: e.id,
      isMasked: false,
      victim: { name: '张三', idNumber, phone: '13800200006', countyCode: NANMING },
    });
    expect(draft.transfers).toMatchObject([{ amountFen: 3_000_000, toAccount: { number: mule.value } }]);
    expect(draft.narrative).toContain(e.id);
    // Its payee went to the stop-payment desk at once, as a typed account does.
    expect(draft.transfers[0]!.stopPaymentId).not.toBeNull();
    const audit = await db
      .selectFrom('audit_entry')
      .select('details')
      .where('action', '=', 'report.open_from_episode')
      .where('object_id', '=', reportId)
      .execute();
    expect(audit).toHaveLength(1);

    // A call-taker takes it up (saves it): theirs now, no longer in the other's queue.
    const input: ReportDraftInput = {
      version: draft.version,
      callAnsweredAt: h.clock.now().toISOString(),
      victim: { name: '张三', idNumber, phone: '13800200006', countyCode: NANMING },
      transfers: [
        {
          key: 'episode-1',
          transferredAt: draft.transfers[0]!.transferredAt!,
          amountFen: 3_000_000,
          toAccount: { number: mule.value },
        },
      ],
      contacts: [],
      narrative: `${draft.narrative} 回电核实：已转账三万元。`,
      fraudType: 'FAKE_INVESTMENT',
    };
    const saved = await h.app.inject({
      method: 'PUT',
      url: `/api/reports/${reportId}`,
      headers: { cookie: c.taker! },
      payload: input,
    });
    expect(saved.statusCode).toBe(200);
    const other = (await get('taker2', '/api/reports?status=draft')).json<ReportList>().reports;
    expect(other.map((r) => r.id)).not.toContain(reportId);
    expect((await get('taker2', `/api/reports/${reportId}`)).statusCode).toBe(404);
    // Filed: the episode shows where its report stands.
    const submitted = await post('taker', `/api/reports/${reportId}/submit`, {
      version: saved.json<ReportView>().version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await episode(e.id)).intakeReport).toMatchObject({ id: reportId, status: 'routed' });
  });

  it("an operator's system reads its queue and answers with its signal key, signed; nothing else opens", async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const made = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/signal-keys',
      headers: { cookie: c.admin! },
      payload: {
        name: '联通协助系统',
        sender: { kind: 'operator', operator: 'china_unicom' },
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const bearer = { authorization: `Bearer ${made.json<{ key: string }>().key}` };
    const byKey = (method: 'GET' | 'POST', url: string, payload?: object, headers = {}) =>
      h.app.inject({ method, url, headers: { ...bearer, ...headers }, payload });
    const signed = (id: string, body: object) => ({
      'x-fanzha-signature': sign(
        null,
        Buffer.from(canonicalJson({ carrierRequestId: id, answer: body })),
        privateKey,
      ).toString('base64'),
    });

    const phone = '+8613800200009';
    const id = await onBusyLine(phone);
    const listed = await byKey('GET', '/api/carrier-requests');
    expect(listed.statusCode, listed.body).toBe(200);
    const [req] = listed.json<CarrierRequestList>().requests.filter((r) => r.episodeId === id);
    expect(req).toMatchObject({ operatorCode: 'china_unicom', phone, status: 'open' });
    expect((await byKey('GET', `/api/carrier-requests/${req!.id}`)).statusCode).toBe(200);

    // Unsigned or signed over another body: 401, nothing changes.
    const url = `/api/carrier-requests/${req!.id}/answer`;
    const before = await count('audit_entry');
    const body = { answer: 'forwarding_cleared' };
    expect((await byKey('POST', url, body)).statusCode).toBe(401);
    const forged = await byKey('POST', url, body, signed(req!.id, { answer: 'interrupted' }));
    expect(forged.statusCode).toBe(401);
    expect((await episode(id)).step).toBe('carrier_assist');
    const answered = await byKey('POST', url, body, signed(req!.id, body));
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json<CarrierRequestView>()).toMatchObject({
      status: 'answered',
      answer: 'forwarding_cleared',
    });
    expect((await episode(id)).step).toBe('human_call');
    const audit = await db
      .selectFrom('audit_entry')
      .select(['username', 'result'])
      .where('action', '=', 'carrier_request.answer')
      .execute();
    // The two refused attempts are in the trail too, denied.
    const mine = audit.filter((a) => a.username === 'key:联通协助系统').map((a) => a.result);
    expect(mine.sort()).toEqual(['denied', 'denied', 'success']);
    expect(await count('audit_entry')).toBeGreaterThan(before);

    // Another operator's request stays out of reach; the key opens no one else's routes.
    const other = await onBusyLine('+8613800200010', { source: 'operator:china_mobile' });
    const mobiles = (await queue('mobile')).filter((r) => r.episodeId === other);
    expect(mobiles).toHaveLength(1);
    expect((await byKey('GET', `/api/carrier-requests/${mobiles[0]!.id}`)).statusCode).toBe(404);
    expect((await byKey('GET', '/api/episodes')).statusCode).toBe(401);
    expect((await byKey('GET', '/api/reports')).statusCode).toBe(401);
  });

  it('pages each queue with a cursor: every request once, open oldest first and answered newest first', async () => {
    for (const n of [21, 22, 23]) await onBusyLine(`+86138002000${n}`);
    const open = await queue('unicom');
    expect(open.length).toBeGreaterThanOrEqual(3);
    for (const r of open.slice(0, 2)) {
      const answered = await post('unicom', `/api/carrier-requests/${r.id}/answer`, {
        answer: 'interrupted',
      });
      expect(answered.statusCode, answered.body).toBe(200);
    }
    for (const status of ['open', 'answered']) {
      const whole = (await queue('unicom', status)).map((r) => r.id);
      expect(whole.length).toBeGreaterThanOrEqual(2);
      const paged: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const res = await get(
          'unicom',
          `/api/carrier-requests?status=${status}&limit=1${after ? `&after=${after}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<CarrierRequestList>();
        paged.push(...body.requests.map((r) => r.id));
        after = body.nextCursor;
        if (after === null) break;
      }
      expect(paged).toEqual(whole);
    }
    // The whole queue on one page has no next one; a cursor that is not one is refused by field.
    expect(
      (await get('unicom', '/api/carrier-requests?limit=200')).json<CarrierRequestList>().nextCursor,
    ).toBe(null);
    const bad = await get('unicom', '/api/carrier-requests?after=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: [{ field: 'query.after' }] } });
  });
});
