import type {
  EpisodeList,
  EpisodeView,
  ErrorBody,
  StreamMessage,
  TaskList,
  VerifyAnswer,
} from '@fanzha/contracts';
import { withIdCheckChar, type IndicatorSnapshot, type ScreeningHit } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { openStream } from '../../../testing/sse';
import { countingDb } from '../../../testing/statement-count';
import { committedEvents } from '../../../testing/outbox-events';
import { applyTaskEvents } from '../tasks/index';

const NANMING = '520102';
const YUNYAN = '520103';
const MINUTE = 60_000;

const mule: IndicatorSnapshot = {
  id: 7,
  kind: 'account',
  value: '6222020200112233445',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};
const fraudPhone: IndicatorSnapshot = {
  id: 8,
  kind: 'phone',
  value: '+8617100001111',
  status: 'active',
  riskLevel: 'medium',
  reportCount: 1,
  lossFen: 0,
  lastReportedAt: null,
};

let seq = 0;
function hit(
  over: Partial<ScreeningHit> & { phone?: string | null; idNumber?: string | null; county?: string | null },
) {
  const { phone, idNumber, county, ...rest } = over;
  return {
    source: 'operator:china_mobile',
    signalId: `sig-${++seq}`,
    signalKind: 'sms',
    at: '2026-05-01T08:00:00Z',
    person: {
      phone: phone === undefined ? '+8613800138000' : phone,
      idNumber: idNumber ?? null,
      name: null,
      countyCode: county === undefined ? NANMING : county,
    },
    indicator: fraudPhone,
    amountFen: null,
    upstreamGrade: null,
    ...rest,
  } satisfies ScreeningHit;
}

describeEachStorage('warnings: episodes, the ladder and the console', (database, kind) => {
  let h: Harness;
  let db: Kysely<DB>;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    // The harness's keys (same secret): this handle seals and opens as the app's does.
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    db = withFieldKeys(database().db, keys);
    await createCast(h, [
      ['nanming', 'persuader', { countyCode: NANMING }],
      ['nanming2', 'persuader', { countyCode: NANMING }],
      ['yunyan', 'persuader', { countyCode: YUNYAN }],
      ['desk', 'persuader', {}],
      ['sup', 'supervisor', {}],
      ['taker', 'call_taker', {}],
    ]);
    for (const u of ['nanming', 'nanming2', 'yunyan', 'desk', 'sup', 'taker']) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const record = (hits: ScreeningHit[]) =>
    db.transaction().execute((trx) => h.app.services.recordHits(trx, hits));
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const episode = async (who: string, id: string) =>
    (await get(who, `/api/episodes/${id}`)).json<EpisodeView>();
  const openOf = async (phone: string) => {
    const list = (await get('desk', '/api/episodes?limit=200')).json<EpisodeList>().episodes;
    const tail = phone.slice(-4);
    return list.filter((e) => e.personPhoneMasked?.endsWith(tail));
  };
  const counts = async () => ({
    episodes: Number(
      (await db
        .selectFrom('episode')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    ),
    warnings: Number(
      (await db
        .selectFrom('episode_warning')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    ),
    contacts: Number(
      (await db
        .selectFrom('episode_contact')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    ),
    outbox: Number(
      (await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    ),
  });

  it('opens one episode per person, routed to the signal’s county, with an SMS carrying a code', async () => {
    const phone = '+8613800000001';
    const r = await record([hit({ phone, signalKind: 'call' })]);
    expect(r).toMatchObject({ listed: 1, opened: 1, redelivered: 0 });
    const [summary] = await openOf(phone);
    expect(summary).toMatchObject({ countyCode: NANMING, routedBy: 'signal', step: 'sms', warningCount: 1 });
    const full = await episode('nanming', summary!.id);
    expect(full.person.phone).toBe(phone);
    expect(full.contacts).toHaveLength(1);
    expect(full.contacts[0]).toMatchObject({ channel: 'sms', status: 'pending' });
    expect(full.contacts[0]!.verificationCode).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(full.warnings[0]!.factors.length).toBeGreaterThan(0);
    // Personal data at rest: sealed, and found by its blind index only.
    const raw = await database()
      .db.selectFrom('episode')
      .select(['person_phone', 'person_phone_bidx'])
      .where('id', '=', summary!.id)
      .executeTakeFirstOrThrow();
    expect(raw.person_phone).toMatch(/^fz1\./);
    expect(raw.person_phone_bidx).toMatch(/^[0-9a-f]{32}$/);
  });

  it('merges later signals about the same person and raises the grade; a redelivery changes nothing', async () => {
    const phone = '+8613800000002';
    const id = withIdCheckChar('52010219500101123');
    const first = hit({ phone, signalKind: 'sms' });
    await record([first]);
    const [opened] = await openOf(phone);
    expect(opened!.grade).toBe('low');
    // The bank's transfer to a known mule account, the same person by phone (and now with an ID number).
    const transfer = hit({
      phone,
      at: '2026-05-01T08:01:00Z',
      idNumber: id,
      source: 'bank:ICBC',
      signalKind: 'bank_transfer',
      indicator: mule,
      amountFen: 2_000_000,
    });
    const batch = [
      transfer,
      hit({ phone: null, idNumber: id, signalKind: 'url_visit', at: '2026-05-01T08:02:00Z' }),
    ];
    const r = await record(batch);
    expect(r).toMatchObject({ listed: 2, opened: 0 });
    const [merged] = await openOf(phone);
    expect(merged).toMatchObject({ id: opened!.id, grade: 'high', warningCount: 3 });
    const full = await episode('desk', opened!.id);
    expect(full.person.idNumber).toBe(id);
    expect(full.warnings.map((w) => w.signalKind)).toEqual(['sms', 'bank_transfer', 'url_visit']);
    expect(full.warnings[1]!.factors.map((f) => f.factor)).toContain('transfer_to_known_account');
    // The 高 grade tightened the SMS step's SLA to a minute from its start.
    expect(Date.parse(full.dueAt!) - Date.parse(full.ladder.enteredAt)).toBe(MINUTE);

    const before = await counts();
    const again = await record([first, ...batch]);
    expect(again).toMatchObject({ listed: 0, opened: 0, redelivered: 3 });
    expect(await counts()).toEqual(before);
    expect((await episode('desk', opened!.id)).version).toBe(full.version);
  });

  it('records any number of hits in the same few statements', async () => {
    const counting = countingDb(db);
    const run = async (hits: ScreeningHit[]) => {
      counting.reset();
      await counting.db.transaction().execute((trx) => h.app.services.recordHits(trx, hits));
      return counting.count();
    };
    await run([hit({ phone: '+8613900001099' })]);
    // One new person and one with an open episode.
    const two = await run([hit({ phone: '+8613900001098' }), hit({ phone: '+8613900001099' })]);
    // Forty: new people, people with an open episode already, and people named twice in the batch.
    const many = Array.from({ length: 40 }, (_, i) =>
      hit({ phone: `+861390000${1070 + (i % 30)}`, signalKind: i % 2 ? 'call' : 'sms' }),
    );
    const forty = await run(many);
    expect(two).toBeLessThanOrEqual(8);
    expect(forty, counting.kinds.join('\n')).toBe(two);
  });

  it.runIf(kind === 'postgres')(
    'fires a due timer once when two workers sweep at the same moment',
    async () => {
      const phones = Array.from({ length: 30 }, (_, i) => `+86137000${2000 + i}`);
      await record(phones.map((phone) => hit({ phone, signalKind: 'bank_transfer', indicator: mule })));
      const sweep = h.app.services.episodeSweep;
      const at = new Date(h.clock.now().getTime() + MINUTE);
      const [a, b] = await Promise.all([sweep.sweepOnce(at), sweep.sweepOnce(at)]);
      expect(a.fired + b.fired).toBeGreaterThanOrEqual(30);
      for (const phone of phones) {
        const [e] = await openOf(phone);
        const full = await episode('desk', e!.id);
        expect(full.contacts.map((x) => x.channel)).toEqual(['sms', 'robot_call']);
      }
    },
  );

  it('skips a malformed hit and records the good ones beside it', async () => {
    const good = hit({ phone: '+8613800000020' });
    const r = await record([hit({ phone: '+8613800000021', at: 'not a time' }), good, hit({ phone: null })]);
    expect(r).toMatchObject({ listed: 1, opened: 1, skipped: 2 });
    expect(await openOf('+8613800000020')).toHaveLength(1);
    expect(await openOf('+8613800000021')).toHaveLength(0);
  });

  it('routes by the ID number’s county without a county code, else to the centre', async () => {
    const id = withIdCheckChar(`${YUNYAN}19900101123`);
    await record([hit({ phone: '+8613800000003', idNumber: id, county: null })]);
    await record([hit({ phone: '+8613800000004', county: null })]);
    await record([hit({ phone: '+8613800000005', county: '990000' })]);
    expect((await openOf('+8613800000003'))[0]).toMatchObject({ countyCode: YUNYAN, routedBy: 'id_number' });
    expect((await openOf('+8613800000004'))[0]).toMatchObject({ countyCode: null, routedBy: 'centre' });
    expect((await openOf('+8613800000005'))[0]).toMatchObject({ countyCode: null, routedBy: 'centre' });
  });

  it('shows a county’s persuaders only their county; the centre’s desk and the supervisor all', async () => {
    await record([hit({ phone: '+8613800000006', county: YUNYAN })]);
    const [yunyanEpisode] = await openOf('+8613800000006');
    const list = async (who: string, q = '') =>
      (await get(who, `/api/episodes?limit=200${q}`)).json<EpisodeList>().episodes;
    expect((await list('nanming')).every((e) => e.countyCode === NANMING)).toBe(true);
    expect((await list('nanming')).length).toBeGreaterThan(0);
    expect((await list('nanming', `&county=${YUNYAN}`)).length).toBe(0);
    expect((await list('yunyan')).map((e) => e.id)).toContain(yunyanEpisode!.id);
    expect((await get('nanming', `/api/episodes/${yunyanEpisode!.id}`)).statusCode).toBe(404);
    expect((await post('nanming', `/api/episodes/${yunyanEpisode!.id}/take`)).statusCode).toBe(404);
    const all = await list('desk');
    expect(new Set(all.map((e) => e.countyCode))).toEqual(new Set([NANMING, YUNYAN, null]));
    expect((await list('sup')).length).toBe(all.length);
    expect((await get('taker', '/api/episodes')).statusCode).toBe(403);
  });

  it('pages open episodes by grade, overdue, oldest, with a cursor', async () => {
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 100; i++) {
      const page = (await get('desk', `/api/episodes?limit=7${after}`)).json<EpisodeList>();
      seen.push(...page.episodes.map((e) => e.id));
      if (!page.next) break;
      after = `&after=${page.next}`;
    }
    const whole = (await get('desk', '/api/episodes?limit=200')).json<EpisodeList>().episodes;
    expect(seen).toEqual(whole.map((e) => e.id));
    const ranks = whole.map((e) => ({ low: 0, medium: 1, high: 2 })[e.grade]);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    const bad = await get('desk', '/api/episodes?after=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'query.after' });
  });

  it('climbs the ladder on its timers, each once, and sends each SMS and robot call once', async () => {
    const phone = '+8613800000007';
    await record([hit({ phone, signalKind: 'bank_transfer', indicator: mule, source: 'bank:CCB' })]);
    const [e] = await openOf(phone);
    expect(e!.grade).toBe('high');
    const sweep = h.app.services.episodeSweep;
    const t0 = h.clock.now().getTime();
    await sweep.sweepOnce(new Date(t0));
    // One minute on: the SMS's SLA ran out, a robot call goes out.
    await sweep.sweepOnce(new Date(t0 + MINUTE));
    const afterOne = await episode('desk', e!.id);
    expect(afterOne.step).toBe('robot_call');
    expect(afterOne.contacts.map((x) => [x.channel, x.status])).toEqual([
      ['sms', 'sent'],
      ['robot_call', 'sent'],
    ]);
    // Another sweep at the same moment (another worker, a restart) fires nothing again.
    const again = await sweep.sweepOnce(new Date(t0 + MINUTE));
    expect(again.sent).toBe(0);
    expect((await episode('desk', e!.id)).version).toBe(afterOne.version);
    // Left alone for 40 minutes: robot call (3 min) → human call (10) → trusted contact (10) → carrier
    // assist, then at the 30-minute reach deadline the visit, each step once.
    await sweep.sweepOnce(new Date(t0 + 40 * MINUTE));
    const later = await episode('desk', e!.id);
    expect(later.step).toBe('visit');
    expect(later.ladder.history.map((x) => x.step)).toEqual([
      'sms',
      'robot_call',
      'human_call',
      'trusted_contact',
      'carrier_assist',
      'visit',
    ]);
    expect(later.contacts.map((x) => x.channel)).toEqual([
      'sms',
      'robot_call',
      'human_call',
      'trusted_contact',
      'carrier_assist',
      'visit',
    ]);
    expect(Date.parse(later.ladder.history.at(-1)!.at)).toBe(t0 + 30 * MINUTE);
  });

  it('takes outcomes through the ladder: refusals, idempotent retries, closing once', async () => {
    const phone = '+8613800000008';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const url = `/api/episodes/${e!.id}`;
    expect((await post('nanming', `${url}/take`)).json<EpisodeView>().takenBy).toBeTruthy();
    const taken = await post('nanming2', `${url}/take`);
    expect(taken.statusCode).toBe(409);

    const key = { 'idempotency-key': 'retry-1' };
    const refused = await post('nanming', `${url}/outcome`, { outcome: 'refuses' }, key);
    expect(refused.statusCode).toBe(200);
    expect(refused.json<EpisodeView>().step).toBe('human_call');
    const retried = await post('nanming', `${url}/outcome`, { outcome: 'refuses' }, key);
    expect(retried.json<EpisodeView>()).toMatchObject({
      step: 'human_call',
      version: refused.json<EpisodeView>().version,
    });

    for (const [payload, field] of [
      [{ outcome: 'maybe' }, 'body.outcome'],
      [{ outcome: 'persuaded', extra: 1 }, 'body'],
      [{}, 'body.outcome'],
    ] as const) {
      const bad = await post('nanming', `${url}/outcome`, payload);
      expect(bad.statusCode).toBe(400);
      expect(bad.json<ErrorBody>().error.details?.[0]?.field).toContain(field);
    }
    // A hold is not requested before carrier assist or the visit.
    const early = await post('nanming', `${url}/hold`, { reason: '正在向骗子转账', hours: 24 });
    expect(early.statusCode).toBe(409);
    expect(early.json<ErrorBody>().error.details?.[0]).toMatchObject({ reason: 'ladder.not_allowed' });

    const done = await post('nanming', `${url}/outcome`, { outcome: 'persuaded' });
    expect(done.json<EpisodeView>()).toMatchObject({
      step: 'closed',
      isOpen: false,
      closeReason: 'persuaded',
    });
    const twice = await post('nanming', `${url}/outcome`, { outcome: 'persuaded' });
    expect(twice.statusCode).toBe(200);
    expect(twice.json<EpisodeView>().version).toBe(done.json<EpisodeView>().version);
    const other = await post('nanming', `${url}/outcome`, { outcome: 'refuses' });
    expect(other.statusCode).toBe(409);
    // Closed: the person's next signal opens a new episode.
    await record([hit({ phone })]);
    expect((await openOf(phone)).map((x) => x.id)).not.toContain(e!.id);
  });

  it('refuses a key used again with another outcome or command, and audits which outcome was recorded', async () => {
    const phone = '+8613800000018';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const url = `/api/episodes/${e!.id}`;
    const key = { 'idempotency-key': 'reuse-1' };
    const refused = await post('nanming', `${url}/outcome`, { outcome: 'refuses', note: '挂断' }, key);
    expect(refused.json<EpisodeView>().step).toBe('human_call');
    // The same request again is a retry; another outcome, another note or another command under the key is not.
    const retried = await post('nanming', `${url}/outcome`, { outcome: 'refuses', note: '挂断' }, key);
    expect(retried.statusCode).toBe(200);
    for (const [path, payload] of [
      ['outcome', { outcome: 'persuaded' }],
      ['outcome', { outcome: 'refuses' }],
      ['hold/release', {}],
    ] as const) {
      const reused = await post('nanming', `${url}/${path}`, payload, key);
      expect(reused.statusCode).toBe(409);
      expect(reused.json<ErrorBody>().error.details?.[0]).toMatchObject({
        field: 'header.idempotency-key',
        reason: 'idempotency.reused',
      });
    }
    expect(await episode('nanming', e!.id)).toMatchObject({
      step: 'human_call',
      isOpen: true,
      version: refused.json<EpisodeView>().version,
    });
    // Closing outcomes all lead to `closed`: the audit says which one was recorded.
    await post('nanming', `${url}/outcome`, { outcome: 'not_fraud' }, { 'idempotency-key': 'reuse-2' });
    const audited = await db
      .selectFrom('audit_entry')
      .select(['details'])
      .where('object_id', '=', e!.id)
      .where('action', '=', 'episode.outcome')
      .where('result', '=', 'success')
      .execute();
    expect(audited.map((a) => (a.details as { outcome?: string }).outcome).sort()).toEqual([
      'not_fraud',
      'refuses',
    ]);
  });

  it('line busy: carrier assist and a visit at once; a hold needs a second person, and is released', async () => {
    const phone = '+8613800000009';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const url = `/api/episodes/${e!.id}`;
    const busy = (await post('nanming', `${url}/outcome`, { outcome: 'line_busy' })).json<EpisodeView>();
    expect(busy.step).toBe('carrier_assist');
    expect(busy.contacts.map((x) => x.channel)).toEqual(['sms', 'carrier_assist', 'visit']);
    expect((await post('nanming', `${url}/hold`, { reason: '疑似正在转账', hours: 73 })).statusCode).toBe(
      400,
    );
    expect((await post('nanming', `${url}/hold`, { reason: '疑似正在转账', hours: 0 })).statusCode).toBe(400);
    const requested = await post('nanming', `${url}/hold`, {
      reason: '疑似正在转账',
      hours: 24,
      bankCode: 'ICBC',
    });
    expect(requested.json<EpisodeView>().step).toBe('hold_pending');
    const self = await post('nanming', `${url}/hold/approve`);
    expect(self.statusCode).toBe(409);
    expect(self.json<ErrorBody>().error.details?.[0]).toMatchObject({ reason: 'ladder.same_approver' });
    const approved = (await post('nanming2', `${url}/hold/approve`)).json<EpisodeView>();
    expect(approved.step).toBe('hold');
    expect(Date.parse(approved.ladder.hold!.endsAt!) - Date.parse(approved.ladder.hold!.startsAt!)).toBe(
      24 * 3_600_000,
    );
    const released = (await post('sup', `${url}/hold/release`)).json<EpisodeView>();
    expect(released).toMatchObject({ step: 'closed', closeReason: 'hold_released' });
    expect((await post('sup', `${url}/hold/release`)).statusCode).toBe(200);
  });

  it('a visit sent at once by a busy line is a supervision task from its sending, one, ended by the close', async () => {
    let seen = (await committedEvents(database().db)).at(-1)?.id ?? 0;
    // The tasks consumer's batches, as the worker takes them from the outbox.
    const pump = async () => {
      const events = await committedEvents(database().db, { after: seen });
      await applyTaskEvents(
        { db: database().db, clock: h.clock },
        events.map((e) => e.event),
      );
      seen = events.at(-1)?.id ?? seen;
    };
    const visits = async (id: string) =>
      (await get('sup', '/api/tasks?kind=visit&status=all&limit=200'))
        .json<TaskList>()
        .tasks.filter((t) => t.sourceId === id)
        .map((t) => ({ status: t.status, owner: t.owner.unitCode }));
    const phone = '+8613800000019';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const url = `/api/episodes/${e!.id}`;
    const busy = (await post('nanming', `${url}/outcome`, { outcome: 'line_busy' })).json<EpisodeView>();
    expect(busy).toMatchObject({ step: 'carrier_assist', isVisitIssued: true });
    await pump();
    expect(await visits(e!.id)).toEqual([{ status: 'open', owner: NANMING }]);
    // The operator refuses: the ladder reaches the visit step, the visit already out is the same task.
    const atVisit = (await post('nanming', `${url}/outcome`, { outcome: 'refuses' })).json<EpisodeView>();
    expect(atVisit.step).toBe('visit');
    expect(atVisit.contacts.filter((x) => x.channel === 'visit')).toHaveLength(1);
    await pump();
    expect(await visits(e!.id)).toEqual([{ status: 'open', owner: NANMING }]);
    await post('nanming', `${url}/outcome`, { outcome: 'persuaded' });
    await pump();
    expect(await visits(e!.id)).toEqual([{ status: 'done', owner: NANMING }]);
  });

  it('already paid: the episode closes and an intake draft is wanted', async () => {
    const phone = '+8613800000010';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const paid = (
      await post('desk', `/api/episodes/${e!.id}/outcome`, { outcome: 'already_paid' })
    ).json<EpisodeView>();
    expect(paid).toMatchObject({ step: 'closed', closeReason: 'already_paid' });
    expect(paid.intakeDraftWantedAt).not.toBeNull();
  });

  it('verifies a code the centre sent, refuses a mistyped one without a lookup, and tells nothing', async () => {
    const phone = '+8613800000011';
    await record([hit({ phone })]);
    const [e] = await openOf(phone);
    const code = (await episode('desk', e!.id)).contacts[0]!.verificationCode!;
    const ok = await h.app.inject({ method: 'GET', url: `/api/public/verify/${code.toLowerCase()}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<VerifyAnswer>()).toMatchObject({ isGenuine: true, centre: '反诈中心', channel: 'sms' });
    expect(ok.body).not.toContain('13800000011');
    // The last character changed: caught by the check character.
    const compact = code.replace('-', '');
    const alphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
    const wrong = compact.slice(0, 9) + alphabet[(alphabet.indexOf(compact[9]!) + 1) % alphabet.length];
    const typo = await h.app.inject({ method: 'GET', url: `/api/public/verify/${wrong}` });
    expect(typo.statusCode).toBe(400);
    expect(typo.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'params.code',
      reason: 'code.check',
    });
    // A well-formed code the centre never issued.
    let unknown = '';
    for (const ch of alphabet) {
      const body = `${ch}${compact.slice(1, 9)}`;
      if (body === compact.slice(0, 9)) continue;
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += (i + 1) * alphabet.indexOf(body[i]!);
      unknown = body + alphabet[sum % 29];
      break;
    }
    const none = await h.app.inject({ method: 'GET', url: `/api/public/verify/${unknown}` });
    expect(none.json<VerifyAnswer>()).toEqual({ isGenuine: false, at: null, centre: null, channel: null });
  });

  describe('live', () => {
    let base = '';
    beforeAll(async () => {
      base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    });
    it('pushes episodes to their county’s persuaders and the centre’s desk, not to other counties', async () => {
      const nanming = await openStream(`${base}/api/stream`, c.nanming!);
      const yunyan = await openStream(`${base}/api/stream`, c.yunyan!);
      const desk = await openStream(`${base}/api/stream`, c.desk!);
      try {
        await record([hit({ phone: '+8613800000012', county: YUNYAN })]);
        await record([hit({ phone: '+8613800000013', county: NANMING })]);
        const about = (tail: string) => (m: StreamMessage) =>
          m.type === 'episode' && m.episode.personPhoneMasked === `138****${tail}`;
        const seen = await nanming.waitFor(about('0013'));
        expect(seen.message).toMatchObject({
          change: 'opened',
          episode: { countyCode: NANMING, step: 'sms' },
        });
        await yunyan.waitFor(about('0012'));
        await desk.waitFor(about('0012'));
        await desk.waitFor(about('0013'));
        // Each stream is ordered: once Nanming's own episode arrived, Yunyan's (committed before) would have.
        expect(nanming.messages.some((m) => about('0012')(m.message))).toBe(false);
        expect(yunyan.messages.some((m) => about('0013')(m.message))).toBe(false);
      } finally {
        nanming.close();
        yunyan.close();
        desk.close();
      }
    });
  });
});
