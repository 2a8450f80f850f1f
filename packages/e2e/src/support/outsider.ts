// What an outside system does, written as its integrator would (no server code): the canonical JSON a bank's
// or operator's system signs, and waiting for a condition instead of a fixed sleep.

/** Keys sorted at every depth, no spaces (the integration guide's canonical JSON). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Asks `probe` until it gives a value, at most `withinMs`: a condition, not a fixed sleep. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  withinMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
