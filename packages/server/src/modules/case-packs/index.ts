export { createCasePacks, type CasePacks, type CasePackSources } from './case-packs.service';
export { casePackRoutes } from './case-packs.routes';
export { casePackSources } from './case-packs.sources';
export type { CasePackFacts } from './case-packs.facts';
