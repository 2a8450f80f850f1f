/**
 * How many PostgreSQL connections a process holds: read by the configuration (its default and lower
 * bound) and by the database's pool (its fallback and what a server keeps open), without the
 * configuration loading the driver.
 */

/** Connections a process may hold at once unless `FANZHA_DB_POOL_SIZE` says otherwise. */
export const DEFAULT_POOL_SIZE = 16;

/**
 * Pooled connections a server process keeps open through quiet spells, and so the fewest it may be
 * given: a request's transaction, the relay and a sweep hold theirs at once.
 */
export const SERVER_POOL_KEEP_OPEN = 4;
