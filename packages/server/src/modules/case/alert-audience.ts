import type { AlertView } from '@fanzha/contracts';
import type { Actor } from '../../platform/actor';
import { isOwnCounty } from './county-scope';

/**
 * Who is responsible for an alert: the supervisor sees every one (督办); the desk the emergency stops'
 * lapses; county police whatever concerns their county's cases; analysts the clusters that grew.
 */
export function isAlertFor(actor: Actor, alert: Pick<AlertView, 'kind' | 'countyCode'>): boolean {
  switch (actor.role) {
    case 'supervisor':
      return true;
    case 'stop_payment_officer':
      return alert.kind === 'stop_lapsing' || alert.kind === 'stop_lapsed';
    case 'county_police':
      return isOwnCounty(actor, alert.countyCode);
    case 'analyst':
      // A cluster of linked reports grew past the threshold (串并案): the analysts' work.
      return alert.kind === 'cluster_grown' || alert.kind === 'countermeasure_overdue';
    case 'call_taker':
    case 'persuader':
    case 'bank_liaison':
    case 'telecom_liaison':
    case 'wall':
    case 'admin':
    case 'auditor':
      return false;
  }
}
