import {
  AcknowledgeAlertsRequest,
  AlertList,
  AlertQuery,
  AlertView,
  EmptyBody,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { AlertsService } from './alerts.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const responsible = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'county_police'],
  scope: 'own-county',
} as const;

export function alertRoutes(deps: { alerts: AlertsService; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/alerts',
      {
        config: { policy: responsible },
        schema: {
          tags: ['alerts'],
          summary: 'Reminders before deadlines and escalations (督办) you are responsible for',
          querystring: AlertQuery,
          response: { 200: AlertList, ...errors },
        },
      },
      async (req) => ({
        alerts: await deps.alerts.list(actorOf(req), {
          isOpen: req.query.open === 'true',
          limit: req.query.limit,
        }),
      }),
    );

    app.post(
      '/api/alerts/:id/acknowledge',
      {
        config: { policy: responsible, action: 'alert.acknowledge' },
        schema: {
          tags: ['alerts'],
          summary: 'Mark an alert as seen (it stays in the record)',
          params: IdParams,
          body: EmptyBody,
          response: { 200: AlertView, ...errors },
        },
      },
      async (req) =>
        deps.alerts.acknowledge(
          { at: deps.clock.now(), requestId: req.id, actor: actorOf(req) },
          req.params.id,
        ),
    );

    app.post(
      '/api/alerts/acknowledge',
      {
        config: { policy: responsible, action: 'alert.acknowledge' },
        schema: {
          tags: ['alerts'],
          summary: 'Mark several alerts as seen at once (all or nothing)',
          description:
            'Up to 500 alerts, each named once. An alert that is unknown or not yours refuses the whole ' +
            'request (404, naming each such id) and changes nothing. Already acknowledged alerts are ' +
            'answered as they are, so a repeated request changes nothing either.',
          body: AcknowledgeAlertsRequest,
          response: { 200: AlertList, ...errors },
        },
      },
      async (req) => ({
        alerts: await deps.alerts.acknowledgeMany(
          { at: deps.clock.now(), requestId: req.id, actor: actorOf(req) },
          req.body.ids,
        ),
      }),
    );
  };
}
