import type { SignedInstruction } from './bank';
import type { CountyTaskView } from './county-tasks';
import type { AlertView } from './freezes';
import type { StopPaymentView } from './stop-payments';
import type { CarrierRequestSummary, EpisodeSummary } from './warnings';

/**
 * Bus subjects whose data is a contract shape. They extend the one event map in `@fanzha/domain`, so a
 * publisher and a consumer of `stop-payment.changed` agree on its data by type.
 */
declare module '@fanzha/domain' {
  interface EventMap {
    /** A stop-payment request was created or changed; carries its whole current view. */
    'stop-payment.changed': {
      request: StopPaymentView;
      reportCreatedBy: string;
      /** The county whose police own the case, once the report is routed. */
      owningCountyCode: string | null;
      /**
       * The answered account's holder's ID number (normal form), when the bank's answer gave one, sealed by the
       * field cipher and bound to the request's id (the bus carries it sealed too): for the two-cards registry
       * only. Never part of `request`, so desks' views and streams do not carry it.
       */
      holderIdNumberSealed?: string;
    };
    /** A report's draft or status changed. */
    'report.changed': {
      id: string;
      number: string;
      status: string;
      version: number;
      createdBy: string;
      /** A draft opened from a warning episode: in every call-taker's intake queue until one takes it up. */
      fromEpisodeId?: string | null;
    };
    /** A county hand-off task was issued or changed (accepted, answered, transferred, overdue). */
    'county-task.changed': { task: CountyTaskView };
    /** An instruction in a bank's queue was issued or changed (acknowledged, answered, its deadline moved). */
    'bank-instruction.changed': { bankCode: string; item: SignedInstruction };
    /** A reminder or escalation was raised by the legal timers or a missed deadline. */
    'alert.raised': { alert: AlertView };
    /** A person's warning episode was opened (a screened signal found them). */
    'episode.opened': { episode: EpisodeSummary };
    /** An episode changed: a new warning, a raised grade, a step of the ladder, taken, an outcome, a hold. */
    'episode.changed': { episode: EpisodeSummary; change: string };
    /**
     * The messenger's results for an episode's SMS and robot calls, each now `sent` or `failed` (the episode
     * itself did not change: no summary, no version). The follow-up counts contacts from it.
     */
    'episode.contacted': {
      episodeId: string;
      contacts: Array<{ id: string; channel: 'sms' | 'robot_call'; status: 'sent' | 'failed'; at: string }>;
    };
    /** A carrier assist request was made or answered: the operator's liaisons follow their queue. */
    'carrier-request.changed': { request: CarrierRequestSummary };
  }
}
export {};
