import { operators, type Operator } from '../identity/roles';
import { validateMobile } from '../validators/mobile.validator';

/**
 * Which operator a carrier assist (运营商协助) goes to: the operator whose signal warned about the person
 * (it serves the line, and knows it serves it now, after any port 携号转网), the latest such signal
 * first; else the operator that issued the number's segment (号段). Null when neither names one of the
 * four operators (a number from abroad, a virtual operator's segment that names another, no phone): no
 * request can go out then, and the step runs its SLA.
 *
 * @example carrierFor('+8613800138000', ['bank:ICBC']) // 'china_mobile' (segment 138)
 * @example carrierFor('+8613800138000', ['operator:china_unicom']) // 'china_unicom' (ported)
 */
export function carrierFor(phone: string | null, sourcesNewestFirst: readonly string[]): Operator | null {
  for (const source of sourcesNewestFirst) {
    const code = source.startsWith('operator:') ? source.slice('operator:'.length) : null;
    if (code !== null && (operators as readonly string[]).includes(code)) return code as Operator;
  }
  if (phone === null) return null;
  const mobile = validateMobile(phone);
  if (!mobile.ok) return null;
  const carrier = mobile.value.carrier;
  return (operators as readonly string[]).includes(carrier) ? (carrier as Operator) : null;
}
