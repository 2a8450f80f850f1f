// Case linking (串并案): reports that share a fraud indicator are linked, with the shared value as evidence,
// into clusters (gangs) that analysts confirm, split, merge and hand to an investigation unit.
export {
  applyLinkEvents,
  CASE_LINKS_CONSUMER,
  linkerStats,
  startCaseLinker,
  type LinkerDeps,
} from './case-links.linker';
export { caseLinkRoutes } from './case-links.routes';
export { type ClusterFacts } from './case-links.reads';
export { createCaseLinksService, type CaseLinksService } from './case-links.service';
