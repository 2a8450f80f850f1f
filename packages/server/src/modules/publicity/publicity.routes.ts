import {
  BeforeAfterQuery,
  CampaignBeforeAfter,
  CampaignList,
  CampaignQuery,
  CampaignView,
  CancelCampaignRequest,
  CompleteCampaignRequest,
  CreateCampaignRequest,
  EmptyBody,
  ErrorBody,
  IdParams,
  PublicityBrief,
  PublicityBriefQuery,
} from '@fanzha/contracts';
import { campaignStatuses, type Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import { parseStatusList } from '../../platform/http/status-list';
import type { PublicityService } from './publicity.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The centre reads and plans; county police read and work their own county's campaigns. */
const readers = {
  access: 'roles',
  roles: ['supervisor', 'analyst', 'county_police'],
  scope: 'own-county',
} as const;
const planners = { access: 'roles', roles: ['supervisor', 'analyst'], scope: 'all' } as const;
const workers = { access: 'roles', roles: ['supervisor', 'county_police'], scope: 'own-county' } as const;
const tags = ['publicity'];

export function publicityRoutes(deps: { publicity: PublicityService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/publicity/brief',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary:
            'The publicity brief (宣传研判): county × fraud type × age band groups with rising reports',
          description:
            'A group is rising when this week it has at least 3 reports, at least 2 more than its baseline (the ' +
            'weekly average of the four weeks before) and at least 1.5 times it. Ranked by the excess. County ' +
            'police see their own county only.',
          querystring: PublicityBriefQuery,
          response: { 200: PublicityBrief, ...errors },
        },
      },
      async (req) => deps.publicity.brief(actorOf(req), req.query),
    );

    app.get(
      '/api/publicity/campaigns',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'Campaigns (宣传活动), latest planned first',
          querystring: CampaignQuery,
          response: { 200: CampaignList, ...errors },
        },
      },
      async (req) => ({
        campaigns: await deps.publicity.list(actorOf(req), {
          ...(req.query.status
            ? { statuses: parseStatusList(req.query.status, campaignStatuses, [...campaignStatuses]) }
            : {}),
          county: req.query.county,
          limit: req.query.limit,
        }),
      }),
    );

    app.post(
      '/api/publicity/campaigns',
      {
        config: { policy: planners, action: 'campaign.create' },
        schema: {
          tags,
          summary: 'Plan a campaign for a county’s police (a task in the supervision queue)',
          description:
            'A retry with the same `key` answers the campaign made the first time and changes nothing; the ' +
            'key with another campaign (or by another person) is `409`.',
          body: CreateCampaignRequest,
          response: { 200: CampaignView, ...errors },
        },
      },
      async (req) => deps.publicity.create(ctxOf(req), req.body),
    );

    app.get(
      '/api/publicity/campaigns/:id',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'One campaign',
          params: IdParams,
          response: { 200: CampaignView, ...errors },
        },
      },
      async (req) => deps.publicity.get(actorOf(req), req.params.id),
    );

    app.get(
      '/api/publicity/campaigns/:id/before-after',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'Reports per week in the campaign’s county and group, the weeks before and after its week',
          params: IdParams,
          querystring: BeforeAfterQuery,
          response: { 200: CampaignBeforeAfter, ...errors },
        },
      },
      async (req) => deps.publicity.beforeAfter(actorOf(req), req.params.id, req.query.weeks),
    );

    app.post(
      '/api/publicity/campaigns/:id/accept',
      {
        config: { policy: workers, action: 'campaign.accept' },
        schema: {
          tags,
          summary: 'Accept (签收) the campaign: the county will hold it',
          params: IdParams,
          body: EmptyBody,
          response: { 200: CampaignView, ...errors },
        },
      },
      async (req) => deps.publicity.accept(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/publicity/campaigns/:id/complete',
      {
        config: { policy: workers, action: 'campaign.complete' },
        schema: {
          tags,
          summary: 'Report the campaign held, with the people reached',
          params: IdParams,
          body: CompleteCampaignRequest,
          response: { 200: CampaignView, ...errors },
        },
      },
      async (req) => deps.publicity.complete(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/publicity/campaigns/:id/cancel',
      {
        config: { policy: planners, action: 'campaign.cancel' },
        schema: {
          tags,
          summary: 'Cancel an open campaign, with a reason',
          params: IdParams,
          body: CancelCampaignRequest,
          response: { 200: CampaignView, ...errors },
        },
      },
      async (req) => deps.publicity.cancel(ctxOf(req), req.params.id, req.body),
    );
  };
}
