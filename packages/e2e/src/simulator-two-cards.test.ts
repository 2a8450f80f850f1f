import { validateIdNumber } from '@fanzha/domain';
import type { ApiClient } from '@fanzha/contracts';
import { startSimulation } from '@fanzha/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi } from './support/session';

/**
 * Two-cards governance (断卡) in the simulated province, against a real server process over HTTP only: the
 * simulated banks name the holder of each mule account they answer for, some holders sold the gangs several
 * cards, and fanzha's registry finds them in several cases.
 */
vi.setConfig({ testTimeout: 180_000 });

describe("the simulated banks' account holders against a real server", () => {
  let server: RunningServer | undefined;
  let admin: ApiClient;
  let analyst: ApiClient;

  beforeAll(async () => {
    const first = bootstrapAdmin();
    server = await startServer({ env: first.env });
    admin = await signInApi(server.url, first.account);
    analyst = await signInApi(
      server.url,
      await createAccount(admin, { username: 'cardsan', displayName: '断卡核对', role: 'analyst' }),
    );
  });
  afterAll(() => server?.stop());

  it('names the holders, and the registry finds people with several cards in several cases', async () => {
    const sim = await startSimulation({
      target: server!.url,
      auth: { kind: 'client', admin },
      seed: 'two-cards',
      ratePerMinute: 600,
      durationMs: 5_000,
      pace: 0,
      intake: 'batch',
      isCaseRobot: false,
      // Few cards, so that each is answered for in several cases within seconds.
      mules: { gangs: 2, poolSizes: [6, 6, 6, 6] },
      drainTimeoutMs: 120_000,
    });
    const summary = await sim.done;
    expect(summary.errorsByKind).toEqual({});
    expect(summary.instructionsAnswered).toBeGreaterThan(20);

    // The registry reads the answers from the event stream: wait until it has the holders of several cards.
    const several = async () => {
      const { items } = await analyst.GET('/api/two-cards/holders', {
        params: { query: { minCases: 2, limit: 500 } },
      });
      return items.filter((h) => h.cardCount > 1);
    };
    await expect.poll(async () => (await several()).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const holders = await several();
    for (const h of holders) {
      expect(h.caseCount).toBeGreaterThanOrEqual(2);
      // The county of issue comes from the ID number: a Guizhou county.
      expect(h.countyCode).toMatch(/^52\d{4}$/);
      const detail = await analyst.GET('/api/two-cards/holders/{id}', { params: { path: { id: h.id } } });
      expect(validateIdNumber(detail.holder.idNumber, new Date()).ok).toBe(true);
      expect(detail.cards.length).toBe(h.cardCount);
    }
  });
});
