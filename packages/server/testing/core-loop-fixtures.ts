import { randomUUID } from 'node:crypto';
import type { ReportDraftInput, ReportView, StopPaymentList } from '@fanzha/contracts';
import { validateBankCard, withLuhnCheckDigit } from '@fanzha/domain';
import { createCast, signInCast, type Harness } from './app-harness';

/** A valid 19-digit card of the given bank (BIN from the shipped table), different for each seed. */
export const BINS = {
  ICBC: '620058',
  CCB: '621081',
  ABC: '601427',
  BOC: '601382',
  ZYCBANK: '621460',
  GZRCU: '621779',
} as const;
export type TestBank = keyof typeof BINS;

export function cardOf(bank: TestBank, seed: number): string {
  const number = withLuhnCheckDigit(`${BINS[bank]}${String(seed).padStart(12, '0')}`);
  const card = validateBankCard(number);
  if (!card.ok || card.value.bankCode !== bank) throw new Error(`test card ${number} is not ${bank}`);
  return number;
}

export function draft(opts: {
  version?: number;
  at: Date;
  transfers: Array<{ number: string; amountFen: number; name?: string; key?: string }>;
  countyCode?: string;
  complete?: boolean;
}): ReportDraftInput {
  return {
    version: opts.version ?? 0,
    callAnsweredAt: opts.at.toISOString(),
    victim: opts.complete
      ? { name: '张三', phone: '13812345678', countyCode: opts.countyCode ?? '520102', idNumber: undefined }
      : { ...(opts.countyCode ? { countyCode: opts.countyCode } : {}) },
    transfers: opts.transfers.map((t, i) => ({
      key: t.key ?? `t${i}`,
      transferredAt: new Date(opts.at.getTime() - 10 * 60_000).toISOString(),
      amountFen: t.amountFen,
      toAccount: { number: t.number, ...(t.name ? { name: t.name } : {}) },
    })),
    contacts: [],
    narrative: '对方自称客服，说快递丢件要理赔',
    ...(opts.complete ? { fraudType: 'FAKE_ECOMMERCE_CS' as const } : {}),
  };
}

/**
 * `count` complete reports of 50 transfers at the largest amount one may carry (1e13 fen; 5e14 fen a report,
 * every card different), each under its own id: for totals past 2^53 fen, filed with `POST /api/reports` or
 * `fileBatch`. `extra` adds fields to each (contacts, say).
 */
export function largestReports(at: Date, count: number, extra: Partial<ReportDraftInput> = {}) {
  let seq = 0;
  return Array.from({ length: count }, () => ({
    ...draft({
      at,
      transfers: Array.from({ length: 50 }, () => ({
        number: cardOf('ICBC', 9000 + ++seq),
        amountFen: 1e13,
      })),
      countyCode: '520102',
      complete: true,
    }),
    ...extra,
    version: undefined,
    id: randomUUID(),
  }));
}

/** Files reports at once through `POST /api/reports/batch`; throws on a refusal. */
export async function fileBatch(h: Harness, cookie: string, reports: object[]): Promise<void> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/reports/batch',
    headers: { cookie },
    payload: { reports },
  });
  if (res.statusCode >= 300) throw new Error(`batch: ${res.statusCode} ${res.body.slice(0, 300)}`);
}

export async function saveDraft(h: Harness, cookie: string, id: string, body: ReportDraftInput) {
  return h.app.inject({ method: 'PUT', url: `/api/reports/${id}`, headers: { cookie }, payload: body });
}

/** Creates a report draft with the given accounts and returns it and its first-layer requests. */
export async function reportWith(
  h: Harness,
  cookie: string,
  transfers: Array<{ number: string; amountFen: number }>,
  extra: { countyCode?: string; complete?: boolean } = {},
) {
  const id = randomUUID();
  const res = await saveDraft(h, cookie, id, draft({ at: h.clock.now(), transfers, ...extra }));
  if (res.statusCode !== 200) throw new Error(`draft: ${res.statusCode} ${res.body}`);
  const report = res.json<ReportView>();
  return { id, report };
}

export async function queue(h: Harness, cookie: string, query = '') {
  const res = await h.app.inject({ method: 'GET', url: `/api/stop-payments${query}`, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`queue: ${res.statusCode} ${res.body}`);
  return res.json<StopPaymentList>().requests;
}

/** The core loop's people, each signed in: a call-taker, a desk officer, three banks' liaisons, an admin. */
export async function signInCoreLoopUsers(h: Harness): Promise<Record<string, string>> {
  const users = [
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
    ['abc', 'bank_liaison', { bankCode: 'ABC' }],
    ['root', 'admin', {}],
  ] as const;
  await createCast(h, users);
  return signInCast(h, users);
}
