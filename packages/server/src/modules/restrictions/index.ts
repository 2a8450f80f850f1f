export { createRestrictionsService, type RestrictionsService } from './restrictions.service';
export { restrictionRoutes } from './restrictions.routes';
export { reportMoney } from './restrictions.money';
export { loadFreezeViews } from './restrictions.views';
