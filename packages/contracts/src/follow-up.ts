import { z } from 'zod';
import { datetime } from './instant';
import { ContactChannel } from './warnings';

export const EffectivenessQuery = z.strictObject({
  from: datetime.optional().describe('Default: the first day of this month, 00:00 in China (UTC+8)'),
  to: datetime.optional().describe('Default: now'),
});
export type EffectivenessQuery = z.infer<typeof EffectivenessQuery>;

const share = z.number().min(0).max(1).nullable();

/** The follow-up checks of a group of closed episodes: reports about the person within 7 and 30 days. */
export const FollowUpFigures = z
  .object({
    closed: z.number().int(),
    checked7: z.number().int().describe('Closed episodes whose 7-day check is done'),
    defrauded7: z.number().int().describe('… of which the person reported a fraud within 7 days'),
    defrauded7Share: share,
    checked30: z.number().int(),
    defrauded30: z.number().int(),
    defrauded30Share: share,
  })
  .meta({ id: 'FollowUpFigures' });
export type FollowUpFigures = z.infer<typeof FollowUpFigures>;

/** Did the warnings work? (预警成效) Aggregates only: no person, no phone, no ID number. */
export const WarningEffectiveness = z
  .object({
    from: datetime,
    to: datetime,
    opened: z
      .object({
        episodes: z.number().int(),
        warnings: z.number().int().describe('Warnings listed in those episodes'),
        contacts: z.array(z.object({ channel: ContactChannel, count: z.number().int() })),
        visits: z.number().int().describe('Episodes with a face-to-face visit'),
        holds: z.number().int().describe('Episodes with an approved protective hold'),
        firstContact: z.object({
          reached: z.number().int().describe('Episodes with a call placed or visit issued'),
          medianS: z.number().nullable(),
          p90S: z.number().nullable(),
          withinTarget: z.number().int(),
          withinTargetShare: share,
          targetS: z.number().int(),
        }),
      })
      .describe('Episodes opened in [from, to)'),
    closed: FollowUpFigures.extend({
      persuaded: z.number().int(),
      persuadedShare: share,
      notFraud: z.number().int(),
    }).describe('Episodes closed in [from, to), with their follow-up checks'),
    byChannel: z
      .array(FollowUpFigures.extend({ channel: ContactChannel }))
      .describe('Closed episodes by the strongest channel that reached them'),
    bySource: z
      .array(
        FollowUpFigures.extend({
          source: z.string(),
          notFraud: z.number().int(),
          precision: share.describe('Closed episodes not found not_fraud, among all it warned of'),
        }),
      )
      .describe('Closed episodes by each source that warned of them'),
  })
  .meta({ id: 'WarningEffectiveness' });
export type WarningEffectiveness = z.infer<typeof WarningEffectiveness>;
