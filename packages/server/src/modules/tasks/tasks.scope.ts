import type { TaskOwner } from '@fanzha/contracts';
import type { Actor } from '../../platform/actor';

/**
 * Who sees which tasks: the supervisor every one (督办); county police their county's, a bank liaison their
 * bank's, an operator's liaison their operator's. Undefined: the role sees none.
 */
export function ownerScope(actor: Actor): Partial<Pick<TaskOwner, 'unitKind' | 'unitCode'>> | undefined {
  switch (actor.role) {
    case 'supervisor':
      return {};
    case 'county_police':
      return actor.countyCode ? { unitKind: 'county', unitCode: actor.countyCode } : undefined;
    case 'bank_liaison':
      return actor.bankCode ? { unitKind: 'bank', unitCode: actor.bankCode } : undefined;
    case 'telecom_liaison':
      return actor.operatorCode ? { unitKind: 'operator', unitCode: actor.operatorCode } : undefined;
    case 'call_taker':
    case 'stop_payment_officer':
    case 'persuader':
    case 'analyst':
    case 'wall':
    case 'admin':
    case 'auditor':
      return undefined;
  }
}

export const isInScope = (actor: Actor, owner: { unitKind: string; unitCode: string }): boolean => {
  const scope = ownerScope(actor);
  if (!scope) return false;
  return (
    (scope.unitKind === undefined || scope.unitKind === owner.unitKind) &&
    (scope.unitCode === undefined || scope.unitCode === owner.unitCode)
  );
};

/** Only the supervisor urges, reassigns and escalates. */
export const maySupervise = (actor: Actor) => actor.role === 'supervisor';

/** Whether a task's news (an urge, a reassignment, an escalation) reaches this person's stream. */
export const isTaskFor = (actor: Actor, task: { owner: { unitKind: string; unitCode: string } }): boolean =>
  isInScope(actor, task.owner);
