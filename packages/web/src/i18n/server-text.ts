import { reasonMessagesZh } from '@fanzha/domain';
import type { Locale } from './locale';
import { hasMessage, translate } from './translate';

/** A field problem as the server names it: a stable reason code, and an English message. */
export interface ReasonedProblem {
  reason: string;
  message: string;
}

const isProblem = (value: unknown): value is ReasonedProblem =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ReasonedProblem).reason === 'string' &&
  typeof (value as ReasonedProblem).message === 'string';

/**
 * A field problem in the interface's language, by its reason code: the validators' own Chinese texts,
 * then this dictionary's; the server's English message only when the code is not known here (a newer
 * server). The validators' English messages are the server's, so English falls through to them.
 */
export function reasonText(locale: Locale, reason: string, message: string): string {
  if (locale === 'zh-CN' && reasonMessagesZh[reason]) return reasonMessagesZh[reason];
  const key = `reason.${reason}`;
  return hasMessage(key) ? translate(locale, key) : message;
}

/**
 * What a person reads for a failed request: the error's code in words, with each distinct field
 * problem's reason. Anything that is not a server error (a programming error, a client check) keeps
 * its own message.
 */
export function errorText(locale: Locale, error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  const fallback = typeof message === 'string' ? message : '';
  if (typeof code !== 'string') return fallback;
  const key = `error.code.${code}`;
  const head = hasMessage(key) ? translate(locale, key) : fallback;
  const problems = Array.isArray(details) ? details.filter(isProblem) : [];
  const reasons = [...new Set(problems.map((p) => reasonText(locale, p.reason, p.message)))];
  if (reasons.length === 0) return head;
  return locale === 'zh-CN' ? `${head}：${reasons.join('；')}` : `${head}: ${reasons.join('; ')}`;
}
