import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/app-harness';
import { countingDb } from '../testing/statement-count';
import { describeEachStorage } from '../testing/test-databases';
import { sealAudit } from './modules/audit/index';

/**
 * Every worker runs these sweeps once or twice a second, all day, and nearly always finds nothing: what a
 * sweep costs then is paid by each worker on PostgreSQL's and its own CPU. Each asks with one statement
 * (no transaction, no lock) whether it has anything to do. What each does when it has work is tested with
 * its module.
 */
describeEachStorage('idle sweeps: one statement each when nothing is due', (database) => {
  let h: Harness;
  let counted: ReturnType<typeof countingDb>;

  beforeAll(async () => {
    counted = countingDb(database().db);
    // No relay or consumers on the counted view: only the sweep measured runs statements while counted.
    h = await createHarness({ ...database(), db: counted.db }, { isWorker: false });
    // What starting left behind (the bootstrap's audit entries) is sealed first.
    while ((await sealAudit(counted.db)) > 0);
  });
  afterAll(() => h.close());

  const statementsOf = async (sweep: () => Promise<unknown>) => {
    counted.reset();
    await sweep();
    return counted.count();
  };

  it('the legal timers', async () => {
    expect(await statementsOf(() => h.app.services.legalTimers.sweepOnce())).toBe(1);
  });
  it("the warning episodes' ladder and messages", async () => {
    expect(await statementsOf(() => h.app.services.episodeSweep.sweepOnce())).toBe(1);
  });
  it('the audit sealer', async () => {
    expect(await statementsOf(() => sealAudit(counted.db))).toBe(1);
  });
  it("the banks' feed sequencer", async () => {
    expect(await statementsOf(() => h.app.services.bankInstructions.sequencer.sweep())).toBe(1);
  });
  it("the appeals' deadlines", async () => {
    expect(await statementsOf(() => h.app.services.appeals.sweepOnce())).toBe(1);
  });
  it("the retry of granted appeals' effects", async () => {
    expect(await statementsOf(() => h.app.services.appeals.retryEffectsOnce())).toBe(1);
  });
  it("the retry of decided appeals' notices", async () => {
    expect(await statementsOf(() => h.app.services.appeals.retryNoticesOnce())).toBe(1);
  });
  it("the countermeasures' SLA", async () => {
    expect(await statementsOf(() => h.app.services.countermeasures.sweepOnce())).toBe(1);
  });
  it('the retry of webhook deliveries not taken', async () => {
    expect(await statementsOf(() => h.webhookRetries.retryOnce())).toBe(1);
  });
  it("the two-cards instructions' deadlines", async () => {
    expect(await statementsOf(() => h.app.services.twoCards.sweepInstructionsOnce())).toBe(1);
  });
});
