import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * A pg pool whose clients name the statements a process runs again and again, so that PostgreSQL parses and
 * plans each of them once per connection instead of on every call (re-parsing was about 29 % of its CPU under
 * the bank-answer load). A text is named from its `after`-th use, and at most `max` texts are named: multi-row
 * inserts of ever new sizes and one-off statements stay unnamed, so no connection collects statements without
 * bound. The name is a hash of the text, the same on every connection.
 */
export function withPreparedStatements(
  pool: pg.Pool,
  opts: { after?: number; max?: number } = {},
): { connect(): Promise<pg.PoolClient>; end(): Promise<void> } {
  const after = opts.after ?? 2;
  const max = opts.max ?? 500;
  const seen = new Map<string, number>();
  const names = new Map<string, string>();

  function nameOf(text: string): string | undefined {
    const named = names.get(text);
    if (named || names.size >= max) return named;
    const uses = (seen.get(text) ?? 0) + 1;
    if (uses < after) {
      // Texts seen once are forgotten in bulk now and then: a bound, not an exact count.
      if (seen.size >= 10 * max) seen.clear();
      seen.set(text, uses);
      return undefined;
    }
    seen.delete(text);
    const name = `fz_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
    return name;
  }

  const prepared = new WeakSet<pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      if (!prepared.has(client)) {
        prepared.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        // Kysely calls query(text, values); BEGIN, COMMIT and the like carry no parameter and stay as they are.
        client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) => {
          const name = typeof text === 'string' && text.includes('$1') ? nameOf(text) : undefined;
          return name ? query({ name, text, values }) : query(text, values, ...rest);
        }) as typeof client.query;
      }
      return client;
    },
    end: () => pool.end(),
  };
}
