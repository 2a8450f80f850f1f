export { applyWallEvents, startWallRollup, WALL_CONSUMER } from './wall.rollup';
export { wallRoutes } from './wall.routes';
export { clockRoutes } from './clock.routes';
export { dayStart, monthStart } from './china-time';
