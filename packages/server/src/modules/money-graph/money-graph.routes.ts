import {
  AccountSharesParams,
  AccountSharesQuery,
  AccountSharesView,
  ClusterTraceRequest,
  ErrorBody,
  FreezeProposalQuery,
  FreezeProposalView,
  IdParams,
  MoneyTraceQuery,
  MoneyTraceView,
} from '@fanzha/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { MoneyGraphService } from './money-graph.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
/** A report's trail: analysts and supervisors, and the police of the county that owns the case. */
const tracers = {
  access: 'roles',
  roles: ['analyst', 'supervisor', 'county_police'],
  scope: 'own-county',
} as const;
/** Across reports: the centre's analysts and supervisors. */
const analysts = { access: 'roles', roles: ['analyst', 'supervisor'], scope: 'all' } as const;
/** Who prepares a freeze: the desk, the supervisor, the owning county's police, and analysts. */
const freezers = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'county_police', 'analyst'],
  scope: 'own-county',
} as const;
const tags = ['money-graph'];

export function moneyGraphRoutes(deps: { moneyGraph: MoneyGraphService }): FastifyPluginAsyncZod {
  const { moneyGraph } = deps;
  return async (app) => {
    app.get(
      '/api/reports/:id/money-trace',
      {
        config: { policy: tracers },
        schema: {
          tags,
          summary: "Where a victim's money went: every layer with the amounts traced under the rule",
          description:
            'Time-respecting: money moves only forward in time and no account passes on more than it received.',
          params: IdParams,
          querystring: MoneyTraceQuery,
          response: { 200: MoneyTraceView, ...errors },
        },
      },
      async (req) => moneyGraph.traceReport(actorOf(req), req.params.id, req.query),
    );

    app.post(
      '/api/money-graph/cluster-trace',
      {
        config: { policy: analysts, action: 'money-graph.cluster-trace' },
        schema: {
          tags,
          summary: "Several reports' money traced together: pooled accounts show each victim's part",
          description: 'Reads only; a POST because the list of reports can be long (up to 2,000).',
          body: ClusterTraceRequest,
          response: { 200: MoneyTraceView, ...errors },
        },
      },
      async (req) =>
        moneyGraph.traceCluster(actorOf(req), {
          reportIds: req.body.reportIds,
          rule: req.body.rule ?? 'fifo',
          maxDepth: req.body.maxDepth ?? 5,
        }),
    );

    app.get(
      '/api/money-graph/accounts/:bankCode/:number/shares',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary: "Each victim's share of the traced money in an account (pooled funds), under the rule",
          params: AccountSharesParams,
          querystring: AccountSharesQuery,
          response: { 200: AccountSharesView, ...errors },
        },
      },
      async (req) => moneyGraph.shares(req.params.bankCode, req.params.number, req.query.rule),
    );

    app.get(
      '/api/stop-payments/:id/freeze-proposal',
      {
        config: { policy: freezers },
        schema: {
          tags,
          summary: "The amount to freeze: this report's traced money held in the account, not its balance",
          description:
            'reviewRequired: the bank said the account is a merchant, payroll or business account; a freeze of it ' +
            'needs a reviewNote.',
          params: IdParams,
          querystring: FreezeProposalQuery,
          response: { 200: FreezeProposalView, ...errors },
        },
      },
      async (req) => moneyGraph.freezeProposal(actorOf(req), req.params.id, req.query.rule),
    );
  };
}
