import type { StopPaymentView } from './stop-payments';

/**
 * Bus subjects whose data is a contract shape. They extend the one event map in `@fanzha/domain`, so a
 * publisher and a consumer of `stop-payment.changed` agree on its data by type.
 */
declare module '@fanzha/domain' {
  interface EventMap {
    /** A stop-payment request was created or changed; carries its whole current view. */
    'stop-payment.changed': { request: StopPaymentView; reportCreatedBy: string };
    /** A report's draft or status changed. */
    'report.changed': { id: string; number: string; status: string; version: number; createdBy: string };
  }
}
export {};
