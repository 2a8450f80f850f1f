import { validationError } from './errors';

/**
 * A comma-separated `?status=` filter, each value checked against the lifecycle's statuses; without one,
 * `fallback`. Every list endpoint answers an unknown status the same way.
 */
export function parseStatusList<S extends string>(
  text: string | undefined,
  statuses: readonly S[],
  fallback: readonly S[],
  /** The query parameter, e.g. `kind` for a comma-separated list of kinds. */
  name = 'status',
): S[] {
  if (!text) return [...fallback];
  const parts = text.split(',');
  const bad = parts.filter((p) => !(statuses as readonly string[]).includes(p));
  if (bad.length > 0)
    throw validationError([
      {
        field: `query.${name}`,
        reason: `unknown_${name}`,
        message: `unknown ${name} ${bad.join(', ')}; one of ${statuses.join(', ')}`,
      },
    ]);
  return parts as S[];
}
