import { z } from 'zod';
import { SignedInstruction } from './bank';
import { CountermeasureView } from './countermeasures';
import { CountyTaskView } from './county-tasks';
import { ClusterSummary } from './investigation';
import { AlertView } from './freezes';
import { StopPaymentView } from './stop-payments';
import { TaskActionKind, TaskView } from './tasks';
import { TwoCardInstructionSummary } from './two-cards';
import { WallPush } from './wall';
import { CarrierRequestSummary, EpisodeSummary } from './warnings';

/**
 * Live updates over Server-Sent Events at `GET /api/stream`. Each message has an `id`; a client that
 * reconnects sends `Last-Event-ID` (browsers do it by themselves) and first receives everything it
 * missed. Each role receives only what it may see (a bank liaison: its own bank's instructions of every kind, as in its queue).
 */
export const StreamMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('stop-payment'), request: StopPaymentView }),
    z.object({
      type: z.literal('report'),
      report: z.object({ id: z.uuid(), number: z.string(), status: z.string(), version: z.number().int() }),
    }),
    z.object({ type: z.literal('county-task'), task: CountyTaskView }),
    z.object({ type: z.literal('bank-instruction'), item: SignedInstruction }),
    z.object({ type: z.literal('alert'), alert: AlertView }),
    z.object({ type: z.literal('episode'), episode: EpisodeSummary, change: z.string() }),
    z.object({ type: z.literal('carrier-request'), carrierRequest: CarrierRequestSummary }),
    /** The supervisor urged, reassigned or escalated a task (督办): its owner's console shows it. */
    z.object({ type: z.literal('task'), action: TaskActionKind, entry: TaskView, note: z.string() }),
    /** A case-linking cluster (串并案) changed: the analysts' and supervisors' cluster list follows it. */
    z.object({ type: z.literal('cluster'), cluster: ClusterSummary, change: z.string() }),
    /** A countermeasure (技术反制) was requested or moved: its party's console and the centre's follow it. */
    z.object({ type: z.literal('countermeasure'), item: CountermeasureView, change: z.string() }),
    /** A two-cards measure's instruction was issued or answered: its party's console and the centre follow it. */
    z.object({
      type: z.literal('two-card-instruction'),
      item: TwoCardInstructionSummary,
      change: z.string(),
    }),
    WallPush,
  ])
  .meta({ id: 'StreamMessage' });
export type StreamMessage = z.infer<typeof StreamMessage>;
