export { createPublicityService, type PublicityService } from './publicity.service';
export { publicityRoutes } from './publicity.routes';
export { countReports, startPublicityRollup, PUBLICITY_CONSUMER } from './publicity.rollup';
