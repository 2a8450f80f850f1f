import type { EpisodeList, InstructionList, ReportList, StopPaymentView } from '@fanzha/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../testing/test-databases';
import { createHarness, type Harness } from '../testing/app-harness';
import { BINS, cardOf, queue, reportWith, type TestBank } from '../testing/core-loop-fixtures';
import { createFieldKeys, openFieldKeys, withFieldKeys } from './platform/crypto/field-cipher';

/**
 * Data scopes, over generated objects: whatever mix of banks and counties the requests and reports
 * belong to, a bank liaison reaches only their bank's and a county officer only their county's.
 * Enforced in services, so it holds on PGlite (a superuser, no row-level security) as on PostgreSQL.
 */
const banks = Object.keys(BINS) as TestBank[];
const counties = ['520102', '520103', '520402', '522301'] as const;

describeEachStorage('data scopes', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let seed = 1000;
  beforeAll(async () => {
    h = await createHarness(database());
    await h.createUser({ username: 'taker', displayName: 'taker', role: 'call_taker' });
    await h.createUser({ username: 'taker2', displayName: 'taker2', role: 'call_taker' });
    await h.createUser({ username: 'desk', displayName: 'desk', role: 'stop_payment_officer' });
    for (const bank of banks)
      await h.createUser({
        username: `bank-${bank.toLowerCase()}`,
        displayName: bank,
        role: 'bank_liaison',
        bankCode: bank,
      });
    for (const county of counties)
      await h.createUser({
        username: `police-${county}`,
        displayName: county,
        role: 'county_police',
        countyCode: county,
      });
    for (const county of counties)
      await h.createUser({
        username: `persuader-${county}`,
        displayName: county,
        role: 'persuader',
        countyCode: county,
      });
    await h.createUser({ username: 'centre-desk', displayName: 'centre', role: 'persuader' });
    for (const name of [
      'taker',
      'taker2',
      'desk',
      'centre-desk',
      ...counties.map((k) => `persuader-${k}`),
      ...banks.map((b) => `bank-${b.toLowerCase()}`),
      ...counties.map((k) => `police-${k}`),
    ])
      c[name] = await h.signIn(name);
  });
  afterAll(() => h.close());

  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });

  it('a bank liaison sees and changes only their own bank’s instructions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...banks), { minLength: 1, maxLength: 5 }),
        async (owners) => {
          const sent: StopPaymentView[] = [];
          const { id } = await reportWith(
            h,
            c.taker!,
            owners.map((bank) => ({ number: cardOf(bank, seed++), amountFen: 10_000 })),
          );
          for (const r of await queue(h, c.desk!, `?reportId=${id}`))
            sent.push(
              (
                await post(c.desk!, `/api/stop-payments/${r.id}/send`, { legalDocNumber: 'DOC-1' })
              ).json<StopPaymentView>(),
            );
          for (const bank of banks) {
            const cookie = c[`bank-${bank.toLowerCase()}`]!;
            const seen = (
              await h.app.inject({
                method: 'GET',
                url: '/api/bank/instructions?status=sent,acknowledged,stopped,failed&limit=500',
                headers: { cookie },
              })
            ).json<InstructionList>();
            expect(seen.instructions.every((i) => i.instruction.bankCode === bank)).toBe(true);
            for (const r of sent) {
              const isMine = r.account.bankCode === bank;
              expect(seen.instructions.some((i) => i.instruction.instructionId === r.id)).toBe(isMine);
              if (isMine) continue;
              const ack = await post(cookie, `/api/bank/instructions/${r.id}/ack`, {});
              const answer = await post(
                cookie,
                `/api/bank/instructions/${r.id}/result`,
                {
                  outcome: 'failed',
                  failureReason: 'other',
                  note: 'test',
                  stoppedFen: 0,
                  onwardTransfers: [],
                },
                { 'idempotency-key': `x-${r.id}` },
              );
              expect([ack.statusCode, answer.statusCode]).toEqual([404, 404]);
            }
          }
          // Nothing another bank tried changed anything.
          for (const r of await queue(h, c.desk!, `?reportId=${id}&status=sent`)) expect(r.result).toBeNull();
        },
      ),
      { numRuns: 4 },
    );
  });

  it('a county officer sees only their county’s submitted reports', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...counties), { minLength: 1, maxLength: 4 }),
        async (homes) => {
          const made: Array<{ id: string; county: string }> = [];
          for (const county of homes) {
            const { id, report } = await reportWith(
              h,
              c.taker!,
              [{ number: cardOf('ICBC', seed++), amountFen: 5000 }],
              { complete: true, countyCode: county },
            );
            expect(
              (await post(c.taker!, `/api/reports/${id}/submit`, { version: report.version })).statusCode,
            ).toBe(200);
            made.push({ id, county });
          }
          for (const county of counties) {
            const cookie = c[`police-${county}`]!;
            const list = (
              await h.app.inject({ method: 'GET', url: '/api/reports?limit=200', headers: { cookie } })
            ).json<ReportList>();
            expect(list.reports.every((r) => r.countyCode === county)).toBe(true);
            for (const m of made) {
              const res = await h.app.inject({
                method: 'GET',
                url: `/api/reports/${m.id}`,
                headers: { cookie },
              });
              expect(res.statusCode).toBe(m.county === county ? 200 : 404);
              if (m.county === county) expect(res.json()).toMatchObject({ isMasked: false });
            }
          }
        },
      ),
      { numRuns: 4 },
    );
  });

  it('a call-taker sees the stop-payment requests of the reports they took, and no others', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('taker', 'taker2'), { minLength: 1, maxLength: 4 }),
        async (takers) => {
          const made: Array<{ id: string; taker: string }> = [];
          for (const taker of takers) {
            const { id } = await reportWith(h, c[taker]!, [
              { number: cardOf('CCB', seed++), amountFen: 7000 },
            ]);
            made.push({ id, taker });
          }
          for (const taker of ['taker', 'taker2']) {
            const cookie = c[taker]!;
            const mine = new Set(made.filter((m) => m.taker === taker).map((m) => m.id));
            const seen = await queue(h, cookie, '?limit=500');
            const expiring = await queue(h, cookie, '?expiring=true&limit=500');
            expect(seen.every((r) => made.every((m) => m.id !== r.reportId || mine.has(r.reportId)))).toBe(
              true,
            );
            expect(
              expiring.every((r) => made.every((m) => m.id !== r.reportId || mine.has(r.reportId))),
            ).toBe(true);
            for (const m of made) {
              const ofReport = await queue(h, cookie, `?reportId=${m.id}`);
              expect(ofReport.length).toBe(mine.has(m.id) ? 1 : 0);
              const one = (await queue(h, c.desk!, `?reportId=${m.id}`))[0]!;
              const res = await h.app.inject({
                method: 'GET',
                url: `/api/stop-payments/${one.id}`,
                headers: { cookie },
              });
              expect(res.statusCode).toBe(mine.has(m.id) ? 200 : 404);
            }
          }
        },
      ),
      { numRuns: 3 },
    );
  });

  it('a bank liaison reaches no report and no desk queue', async () => {
    const cookie = c['bank-icbc']!;
    for (const url of ['/api/reports', '/api/stop-payments'])
      expect((await h.app.inject({ method: 'GET', url, headers: { cookie } })).statusCode).toBe(403);
  });

  it('a persuader sees and works only their county’s episodes; the centre’s desk every one', async () => {
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    const db = withFieldKeys(database().db, keys);
    const homes = [...counties, null] as const;
    let phone = 13900000000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...homes), { minLength: 1, maxLength: 5 }),
        async (places) => {
          const before = new Set(
            (
              await h.app.inject({
                method: 'GET',
                url: '/api/episodes?limit=200',
                headers: { cookie: c['centre-desk']! },
              })
            )
              .json<EpisodeList>()
              .episodes.map((e) => e.id),
          );
          await db.transaction().execute((trx) =>
            h.app.services.recordHits(
              trx,
              places.map((county) => ({
                source: 'operator:china_unicom',
                signalId: `scope-${++phone}`,
                signalKind: 'call' as const,
                at: h.clock.now().toISOString(),
                person: { phone: `+86${phone}`, idNumber: null, name: null, countyCode: county },
                indicator: null,
                amountFen: null,
                upstreamGrade: 'medium' as const,
              })),
            ),
          );
          const all = (
            await h.app.inject({
              method: 'GET',
              url: '/api/episodes?limit=200',
              headers: { cookie: c['centre-desk']! },
            })
          ).json<EpisodeList>().episodes;
          const made = all.filter((e) => !before.has(e.id));
          expect(made.map((e) => e.countyCode).sort()).toEqual([...places].sort());
          for (const county of counties) {
            const cookie = c[`persuader-${county}`]!;
            const list = (
              await h.app.inject({ method: 'GET', url: '/api/episodes?limit=200', headers: { cookie } })
            ).json<EpisodeList>();
            expect(list.episodes.every((e) => e.countyCode === county)).toBe(true);
            for (const m of made) {
              const expected = m.countyCode === county ? 200 : 404;
              const res = await h.app.inject({
                method: 'GET',
                url: `/api/episodes/${m.id}`,
                headers: { cookie },
              });
              expect(res.statusCode).toBe(expected);
              if (expected === 404)
                expect(
                  (await post(cookie, `/api/episodes/${m.id}/outcome`, { outcome: 'not_fraud' })).statusCode,
                ).toBe(404);
            }
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});
