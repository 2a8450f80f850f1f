export { createRestrictionsService, type RestrictionsService } from './freezes.service';
export { restrictionRoutes } from './freezes.routes';
