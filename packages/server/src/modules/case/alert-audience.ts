import type { AlertView } from '@fanzha/contracts';
import type { Actor } from '../../platform/actor';
import { isOwnCounty } from './county-scope';

/**
 * Who is responsible for an alert: the supervisor sees every one (督办); the desk the emergency stops'
 * lapses; county police whatever concerns their county's cases.
 */
export function isAlertFor(actor: Actor, alert: Pick<AlertView, 'kind' | 'countyCode'>): boolean {
  switch (actor.role) {
    case 'supervisor':
      return true;
    case 'stop_payment_officer':
      return alert.kind === 'stop_lapsing' || alert.kind === 'stop_lapsed';
    case 'county_police':
      return isOwnCounty(actor, alert.countyCode);
    case 'call_taker':
    case 'persuader':
    case 'bank_liaison':
    case 'telecom_liaison':
    case 'analyst':
    case 'wall':
    case 'admin':
    case 'auditor':
      return false;
  }
}
