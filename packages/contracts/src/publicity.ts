import { ageBands, campaignChannels, campaignStatuses, fraudTypeCodes } from '@fanzha/domain';
import { z } from 'zod';
import { datetime, day } from './instant';
import { sumFen } from './amounts';

const countyCode = z.string().regex(/^\d{6}$/);

export const AgeBand = z.enum(ageBands).meta({ id: 'AgeBand' });
export const CampaignChannel = z.enum(campaignChannels).meta({ id: 'CampaignChannel' });
export const CampaignStatus = z.enum(campaignStatuses).meta({ id: 'CampaignStatus' });

export const PublicityBriefQuery = z.strictObject({
  week: day
    .optional()
    .describe('Any day of the week (China time); the week runs Monday to Sunday. Default: this week'),
  county: countyCode.optional().describe('One county only (county police: always their own)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One rising group of a brief, with the figures behind it. */
export const PublicityBriefLine = z
  .object({
    countyCode: z.string(),
    countyName: z.string().nullable(),
    fraudType: z.string(),
    ageBand: AgeBand,
    reports: z.number().int().describe('Reports this week'),
    lossFen: sumFen.describe('Losses reported this week'),
    baseline: z.number().describe('Weekly average of the four weeks before'),
    excess: z.number().describe('reports − baseline'),
    change: z.number().nullable().describe('(reports − baseline) / baseline; null when the baseline is 0'),
    previous: z.array(z.number().int()).describe('Reports in each of the four weeks before, oldest first'),
  })
  .meta({ id: 'PublicityBriefLine' });
export type PublicityBriefLine = z.infer<typeof PublicityBriefLine>;

export const PublicityBrief = z
  .object({
    week: day.describe('The Monday the week starts on'),
    rule: z.object({
      baselineWeeks: z.number().int(),
      minReports: z.number().int(),
      minExcess: z.number(),
      minRatio: z.number(),
    }),
    lines: z.array(PublicityBriefLine),
  })
  .meta({ id: 'PublicityBrief' });
export type PublicityBrief = z.infer<typeof PublicityBrief>;

export const CreateCampaignRequest = z
  .strictObject({
    key: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/)
      .describe('Idempotency key: a retry with the same key answers the campaign made the first time'),
    countyCode: countyCode,
    fraudType: z.enum(fraudTypeCodes).optional(),
    ageBand: AgeBand.optional(),
    targetText: z.string().trim().min(1).max(200).optional().describe('The target group in words'),
    channel: CampaignChannel,
    plannedOn: day.describe('The day it is held (China time)'),
    dueAt: datetime.describe('When the county must have reported it done'),
    briefWeek: day.optional().describe('The brief week it was planned from, to keep the figures with it'),
  })
  .meta({ id: 'CreateCampaignRequest' });
export type CreateCampaignRequest = z.infer<typeof CreateCampaignRequest>;

export const CompleteCampaignRequest = z
  .strictObject({
    reach: z.number().int().min(0).max(10_000_000).describe('People reached'),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'CompleteCampaignRequest' });

export const CancelCampaignRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'CancelCampaignRequest' });

export const CampaignView = z
  .object({
    id: z.uuid(),
    countyCode: z.string(),
    countyName: z.string().nullable(),
    fraudType: z.string().nullable(),
    ageBand: AgeBand.nullable(),
    targetText: z.string().nullable(),
    channel: CampaignChannel,
    plannedOn: day,
    dueAt: datetime,
    isOverdue: z.boolean(),
    status: CampaignStatus,
    briefWeek: day.nullable(),
    briefReports: z.number().int().nullable(),
    briefBaseline: z.number().nullable(),
    reach: z.number().int().nullable(),
    note: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: datetime,
    acceptedAt: datetime.nullable(),
    doneAt: datetime.nullable(),
    cancelledAt: datetime.nullable(),
  })
  .meta({ id: 'Campaign' });
export type CampaignView = z.infer<typeof CampaignView>;

export const CampaignList = z.object({ campaigns: z.array(CampaignView) }).meta({ id: 'CampaignList' });
export type CampaignList = z.infer<typeof CampaignList>;

export const CampaignQuery = z.strictObject({
  status: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe('Comma-separated statuses; default all'),
  county: countyCode.optional().describe('One county only (county police: always their own)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const BeforeAfterQuery = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(12).default(4),
});

export const CampaignBeforeAfter = z
  .object({
    campaignId: z.uuid(),
    week: day.describe('The campaign’s week (of its planned day); in neither side'),
    weeks: z.number().int(),
    before: z.array(z.number().int()).describe('Reports in the group in each week before, oldest first'),
    after: z.array(z.number().int()).describe('Reports in each ended week after, oldest first'),
    beforeRate: z.number().describe('Reports per week before'),
    afterRate: z.number().nullable().describe('Reports per week after; null until a week after has ended'),
    change: z.number().nullable(),
  })
  .meta({ id: 'CampaignBeforeAfter' });
export type CampaignBeforeAfter = z.infer<typeof CampaignBeforeAfter>;
