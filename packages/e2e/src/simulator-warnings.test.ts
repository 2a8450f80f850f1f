import type { ApiClient, EpisodeView } from '@fanzha/contracts';
import { startSimulation } from '@fanzha/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi } from './support/session';

/**
 * Early warning in the simulated province, against a real server process over HTTP only: the simulated
 * banks post their customers' transfer attempts to `POST /api/bank/signals`, signed with each bank's key;
 * those to the gangs' mule cards that the run's reports named become warning episodes, which the robot
 * persuaders take and close.
 */
vi.setConfig({ testTimeout: 300_000 });

describe("the simulated banks' transfer signals against a real server", () => {
  let server: RunningServer | undefined;
  let admin: ApiClient;
  let supervisor: ApiClient;

  beforeAll(async () => {
    const first = bootstrapAdmin();
    server = await startServer({ env: first.env, port: 4721 });
    admin = await signInApi(server.url, first.account);
    supervisor = await signInApi(
      server.url,
      await createAccount(admin, { username: 'warnsup', displayName: '预警核对', role: 'supervisor' }),
    );
  });
  afterAll(() => server?.stop());

  it("warns the people paying the gangs' mule cards that reports named, and the robot persuaders close every episode", async () => {
    const sim = await startSimulation({
      target: server!.url,
      auth: { kind: 'client', admin },
      seed: 'bank-signals',
      ratePerMinute: 600,
      durationMs: 12_000,
      pace: 0,
      intake: 'batch',
      isCaseRobot: false,
      // Few cards, so that the reports name most of them within seconds and the signals find them.
      mules: { gangs: 2, poolSizes: [4, 4, 4, 4] },
      bankSignalsPerMinute: 3_000,
      bankSignalFraudShare: 0.1,
      isPersuaderRobot: true,
      drainTimeoutMs: 120_000,
    });
    const summary = await sim.done;
    expect(summary.errorsByKind).toEqual({});
    expect(summary.reportsFiled).toBeGreaterThan(20);
    expect(summary.bankSignalsSent).toBeGreaterThan(500);
    expect(summary.bankSignalsRefused).toBe(0);
    // Scaled out the API answers `hits: null` (the workers screen later); embedded it counts them.
    if (!process.env.NATS_URL) expect(summary.bankSignalHits).toBeGreaterThan(0);

    // The robot persuaders worked them all: taken, outcomes recorded, closed.
    expect(summary.episodesWorked).toBeGreaterThan(0);
    expect(summary.episodesClosed).toBe(summary.episodesWorked);
    expect(summary.persuasionOutcomes.persuaded).toBeGreaterThan(0);

    // fanzha's own view: this run's episodes, each caused by its bank signals to an account indicator.
    const episodesOf = async (open: 'true' | 'false') => {
      const views: EpisodeView[] = [];
      let after: string | undefined;
      do {
        const page = await supervisor.GET('/api/episodes', {
          params: { query: { open, limit: 200, ...(after ? { after } : {}) } },
        });
        for (const e of page.episodes)
          views.push(await supervisor.GET('/api/episodes/{id}', { params: { path: { id: e.id } } }));
        after = page.next ?? undefined;
      } while (after);
      return views;
    };
    const closed = await episodesOf('false');
    expect(closed.length).toBe(summary.episodesClosed);
    expect(await episodesOf('true')).toEqual([]);
    for (const episode of closed) {
      expect(episode.closeReason).toBeTruthy();
      const bank = episode.warnings.filter((w) => w.signalKind === 'bank_transfer');
      expect(bank.length).toBeGreaterThan(0);
      for (const w of bank) {
        expect(w.signalId.startsWith(`${sim.runTag}-`)).toBe(true);
        expect(w.source).toMatch(/^bank:/);
        expect(w.indicator?.kind).toBe('account');
        // A transfer to a known mule account is 高 whatever else counts.
        expect(w.grade).toBe('high');
      }
      expect(episode.person.phone ?? episode.person.idNumber).toBeTruthy();
    }
    const reasons = new Set(closed.map((e) => e.closeReason));
    expect(reasons.has('persuaded')).toBe(true);
  });
});
