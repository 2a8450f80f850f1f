import {
  ClusterDecisionResult,
  ClusterDetail,
  ClusterList,
  ClusterQuery,
  CommandHeaders,
  ConfirmClusterRequest,
  ErrorBody,
  HandOffClusterRequest,
  IdParams,
  MergeClustersRequest,
  SplitClusterRequest,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { CaseLinksService } from './case-links.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The centre's analysts link and decide; the supervisor too (研判, 督办). */
const analysts = { access: 'roles', roles: ['supervisor', 'analyst'], scope: 'all' } as const;
const tags = ['investigation'];
const retry = 'A retry with the same `Idempotency-Key` changes nothing and answers the cluster as it stands.';

export function caseLinkRoutes(deps: { caseLinks: CaseLinksService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/investigation/clusters',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary: 'Clusters of linked reports (串并案), the latest changed first',
          description:
            'Reports are linked when they name the same fraud phone, domain, app, social account, mule account ' +
            'or device; a value named by more reports than FANZHA_INDICATOR_SHARED_REPORTS links nothing. ' +
            'Merged clusters are left out unless asked for by status. Keyset paged.',
          querystring: ClusterQuery,
          response: { 200: ClusterList, ...errors },
        },
      },
      async (req) => deps.caseLinks.list(req.query),
    );

    app.get(
      '/api/investigation/clusters/:id',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary: 'One cluster: its profile (团伙画像), reports, links with their evidence, and history',
          params: IdParams,
          response: { 200: ClusterDetail, ...errors },
        },
      },
      async (req) => deps.caseLinks.get(req.params.id),
    );

    app.post(
      '/api/investigation/clusters/:id/confirm',
      {
        config: { policy: analysts, action: 'cluster.confirm' },
        schema: {
          tags,
          summary: 'Confirm the cluster (已串并): the analyst agrees the reports are one gang’s',
          description: `\`409\` unless the cluster is open. ${retry}`,
          params: IdParams,
          headers: CommandHeaders,
          body: ConfirmClusterRequest,
          response: { 200: ClusterDecisionResult, ...errors },
        },
      },
      async (req) =>
        deps.caseLinks.confirm(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']),
    );

    app.post(
      '/api/investigation/clusters/:id/split',
      {
        config: { policy: analysts, action: 'cluster.split' },
        schema: {
          tags,
          summary:
            'Split reports off the cluster, with a reason: the links between the two sides are severed',
          description:
            'The named reports leave together (two or more: a new cluster; one: no cluster). A severed link stays ' +
            `as evidence and is never made again automatically. \`409\` once handed off or merged. ${retry}`,
          params: IdParams,
          headers: CommandHeaders,
          body: SplitClusterRequest,
          response: { 200: ClusterDecisionResult, ...errors },
        },
      },
      async (req) =>
        deps.caseLinks.split(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']),
    );

    app.post(
      '/api/investigation/clusters/merge',
      {
        config: { policy: analysts, action: 'cluster.merge' },
        schema: {
          tags,
          summary: 'Merge clusters, with a reason: the largest stays and takes the others’ reports',
          description: `\`409\` when one is handed off or already merged. ${retry}`,
          headers: CommandHeaders,
          body: MergeClustersRequest,
          response: { 200: ClusterDecisionResult, ...errors },
        },
      },
      async (req) => deps.caseLinks.merge(ctxOf(req), req.body, req.headers['idempotency-key']),
    );

    app.post(
      '/api/investigation/clusters/:id/hand-off',
      {
        config: { policy: analysts, action: 'cluster.hand_off' },
        schema: {
          tags,
          summary:
            'Hand the cluster to an investigation unit: a task with a deadline in the supervision queue',
          description: `\`409\` unless the cluster is open or confirmed. ${retry}`,
          params: IdParams,
          headers: CommandHeaders,
          body: HandOffClusterRequest,
          response: { 200: ClusterDecisionResult, ...errors },
        },
      },
      async (req) =>
        deps.caseLinks.handOff(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']),
    );
  };
}
