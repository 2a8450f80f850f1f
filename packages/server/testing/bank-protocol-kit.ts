import type {
  ErrorBody,
  FundDecisionView,
  InstructionList,
  SignedInstruction,
  StopPaymentView,
} from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { canonicalJson } from '../src/platform/crypto/canonical-json';
import { createCast, createHarness, signInCast, type Harness } from './app-harness';
import { cardOf, queue, reportWith } from './core-loop-fixtures';
import type { TestDatabase } from './test-databases';

export const NANMING = '520102';

/**
 * The bank protocol's suites share one app per storage: the people of a bank, the desk and a county, signed
 * in, and the steps that bring an account to each stage (sent, stopped, frozen, decided).
 */
export function bankProtocolKit(database: () => TestDatabase) {
  let h: Harness;
  let seed = 0;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(database());
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['sup', 'supervisor', {}],
      ['root', 'admin', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  /** Moves the test clock to `to`; sessions time out, so everyone signs in again just before. */
  async function jump(to: Date) {
    h.clock.set(new Date(to.getTime() - 5 * 60_000));
    for (const username of Object.keys(c)) c[username] = await h.signIn(username);
    h.clock.set(to);
  }
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const view = async (id: string) => (await get('desk', `/api/stop-payments/${id}`)).json<StopPaymentView>();
  const item = async (who: string, id: string) =>
    (await get(who, `/api/bank/instructions/${id}`)).json<SignedInstruction>();
  const feed = async (who: string, query = '') =>
    (await get(who, `/api/bank/instructions${query}`)).json<InstructionList>();
  const confirm = (who: string, id: string, body: object, key = `k-${id}-${canonicalJson(body).length}`) =>
    post(who, `/api/bank/instructions/${id}/confirm`, body, { 'idempotency-key': key });
  const now = () => h.clock.now().toISOString();
  const details = (res: { json: () => unknown }) => (res.json() as ErrorBody).error.details ?? [];
  /** What a change writes; a refusal writes only its failure audit entry. */
  async function counts() {
    const r = await sql<{ o: string; i: string; a: string }>`
      select (select count(*) from outbox) as o, (select count(*) from bank_instruction) as i,
        (select count(*) from audit_entry where result = 'success') as a`.execute(database().db);
    return r.rows[0];
  }

  /** A sent emergency stop of a Nanming report at ICBC. */
  async function sent(amountFen = 5_000_000) {
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 7000 + ++seed), amountFen }], {
      complete: true,
      countyCode: NANMING,
    });
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    const res = await post('desk', `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0100',
    });
    expect(res.statusCode, res.body).toBe(200);
    return { reportId: id, request: res.json<StopPaymentView>() };
  }

  async function stopped(stoppedFen = 3_000_000, amountFen = 5_000_000) {
    const s = await sent(amountFen);
    const res = await post(
      'icbc',
      `/api/bank/instructions/${s.request.id}/result`,
      { outcome: 'stopped', stoppedFen, balanceFen: stoppedFen, onwardTransfers: [] },
      { 'idempotency-key': `stop-${s.request.id}` },
    );
    expect(res.statusCode, res.body).toBe(200);
    return { ...s, request: res.json<StopPaymentView>() };
  }

  async function frozen(frozenFen = 3_000_000) {
    const s = await stopped(frozenFen);
    const res = await post('desk', `/api/stop-payments/${s.request.id}/freeze`, {
      decisionNumber: '筑公(南)冻字〔2026〕101号',
      amountFen: frozenFen,
      reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(res.statusCode, res.body).toBe(200);
    const freezeId = res.json<StopPaymentView>().freeze!.id;
    expect(
      (await confirm('icbc', freezeId, { outcome: 'frozen', amountFen: frozenFen, executedAt: now() }))
        .statusCode,
    ).toBe(200);
    return { ...s, freezeId };
  }

  async function decide(freezeId: string, body: object): Promise<FundDecisionView> {
    const proposed = await post('desk', `/api/freezes/${freezeId}/decisions`, {
      decisionNumber: '筑公(南)返还字〔2026〕101号',
      reason: '被害人资金，依法处理',
      appealChannel: '贵阳市公安局南明分局法制大队',
      ...body,
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const approved = await post('sup', `/api/fund-decisions/${proposed.json<FundDecisionView>().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json<FundDecisionView>();
  }

  return {
    get h() {
      return h;
    },
    c,
    jump,
    post,
    get,
    view,
    item,
    feed,
    confirm,
    now,
    details,
    counts,
    sent,
    stopped,
    frozen,
    decide,
  };
}
