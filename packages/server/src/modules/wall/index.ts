export { applyWallEvents, startWallRollup, WALL_CONSUMER } from './wall.rollup';
export { wallRoutes } from './wall.routes';
export { clockRoutes } from './clock.routes';
export { dayStart, monthStart } from './china-time';
export { dayOf } from './china-time';
export { wallPeriodFigures, wallPeriodQueries, type WallPeriod, type WallPeriodFigures } from './wall.period';
export type { WallLoopSources } from './wall.loop';
