export { createCasePacks, type CasePacks, type CasePackSources } from './case-packs.service';
export { casePackRoutes } from './case-packs.routes';
export type { CasePackFacts } from './case-packs.facts';
