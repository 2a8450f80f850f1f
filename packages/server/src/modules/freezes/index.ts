export { createFreezesService, type FreezesService } from './freezes.service';
export { freezeRoutes } from './freezes.routes';
export { freezeDeadlines } from './freezes.deadlines';
