import type { Health } from '../../api';
import { formatDuration, type Translate } from '../../i18n';

/** The outbox backlog in words; `null` counts mean the database did not answer, so nothing is known. */
export function outboxText(checks: Health['checks'], t: Translate): string {
  const count = checks.outboxUnpublished;
  if (count === null) return '—';
  const age = checks.outboxOldestAgeS;
  if (count === 0 || age === null) return t('home.outbox.count', { count });
  return t('home.outbox.oldest', { count, age: formatDuration(age, t) });
}
