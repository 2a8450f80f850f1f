// Every validator returns this shape, so callers (intake form, API schemas, simulator) can
// branch on `ok` and show `reason`-keyed text without parsing messages.
export type Valid<T> = { ok: true; value: T };
export type Invalid = {
  ok: false;
  /** Stable code such as 'card.luhn'; the UI keys its translations on it. */
  reason: string;
  /** English sentence naming the specific problem, for logs and API error bodies. */
  message: string;
};
export type Validation<T> = Valid<T> | Invalid;

export function valid<T>(value: T): Valid<T> {
  return { ok: true, value };
}

export function invalid<R extends string>(reason: R, message: string): Invalid & { reason: R } {
  return { ok: false, reason, message };
}
