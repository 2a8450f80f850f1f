import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';

/** Every migration in order. Names sort; add, never edit. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
};
