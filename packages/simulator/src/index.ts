/**
 * The simulated province: victims and their reports, money mules, banks, operators — talking to fanzha
 * only as outsiders do (HTTP API, bank API, broker). See docs/simulator.md.
 */
export { startSimulation, type Simulation } from './runner';
export { resolveOptions, SimOptionsError, type SimulationOptions } from './options';
export {
  startDemo,
  DEMO_REPORTS_PER_MINUTE,
  DEMO_BANK_SIGNALS_PER_MINUTE,
  DEMO_COUNTERMEASURES_PER_MINUTE,
  DEMO_LOOKUPS_PER_MINUTE,
  DEMO_PAYEE_CHECKS_PER_MINUTE,
  DEMO_PEOPLE_BANKS,
  type DemoSimulation,
} from './demo';
export { formatSummary, type SimSummary } from './summary';
export { showProgress, progressLine } from './progress';
export { normalizedLog, type SimEvent } from './world';
export type { BankFault } from './bank-line';
export type { SimAuth } from './session';
export type { SimStats } from './stats';
export { rngFor, type Rng } from './rng';
export { countyPopulations } from './population';
export { fraudProfiles } from './fraud-mix';
export { makeSignalBatch } from './operators';
export { makeBankSignalBatch } from './bank-signals';
export { totpCode, totpStep } from './totp';
export { startAppealsRobot, APPEAL_EVERY_MS } from './appeals-robot';
