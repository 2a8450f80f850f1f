import { countyTaskStatuses } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const CountyTaskStatus = z.enum(countyTaskStatuses).meta({ id: 'CountyTaskStatus' });

/** The hand-off of a report to its county's police (属地推送): a task with deadlines. */
export const CountyTaskView = z
  .object({
    id: z.uuid(),
    reportId: z.uuid(),
    reportNumber: z.string(),
    countyCode: z.string(),
    countyName: z.string().nullable(),
    status: CountyTaskStatus,
    fraudType: z.string().nullable(),
    totalLossFen: z.number().int(),
    issuedAt: datetime,
    acceptDueAt: datetime.describe('Accept within 30 minutes of issue'),
    dueAt: datetime.describe('Answer within 24 hours of issue'),
    isOverdue: z.boolean(),
    acceptedAt: datetime.nullable(),
    acceptedBy: z.string().nullable(),
    contactedAt: datetime.nullable(),
    caseNumber: z.string().nullable(),
    answer: z.string().nullable(),
    answeredAt: datetime.nullable(),
    answeredBy: z.string().nullable(),
    transferredFromId: z.uuid().nullable(),
    transferReason: z.string().nullable(),
    transferredAt: datetime.nullable(),
    transferredBy: z.string().nullable(),
    transferredToCounty: z.string().nullable(),
  })
  .meta({ id: 'CountyTask' });
export type CountyTaskView = z.infer<typeof CountyTaskView>;

export const CountyTaskList = z.object({ tasks: z.array(CountyTaskView) }).meta({ id: 'CountyTaskList' });
export type CountyTaskList = z.infer<typeof CountyTaskList>;

export const CountyTaskQuery = z.strictObject({
  status: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe('Comma-separated statuses; default the live ones (issued, accepted, contacted)'),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('Supervisors: one county only'),
  overdue: z.enum(['true', 'false']).optional(),
  reportId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ContactVictimRequest = z
  .strictObject({
    contactedAt: datetime.optional().describe('Default: now'),
    note: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'ContactVictimRequest' });

export const AnswerTaskRequest = z
  .strictObject({
    contactedAt: datetime.optional().describe('When the victim was reached; default: when recorded, or now'),
    caseNumber: z.string().trim().min(4).max(64).optional().describe('立案编号, when a case was opened'),
    answer: z.string().trim().min(4).max(2000).describe('What was done (反馈)'),
  })
  .meta({ id: 'AnswerTaskRequest' });
export type AnswerTaskRequest = z.infer<typeof AnswerTaskRequest>;

export const TransferTaskRequest = z
  .strictObject({
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .describe('GB/T 2260 code of the county taking over'),
    reason: z.string().trim().min(4).max(500),
  })
  .meta({ id: 'TransferTaskRequest' });
