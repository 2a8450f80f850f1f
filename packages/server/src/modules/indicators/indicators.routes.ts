import {
  ErrorBody,
  IndicatorDetail,
  IndicatorIdParams,
  IndicatorList,
  IndicatorLookupQuery,
  IndicatorQuery,
} from '@fanzha/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IndicatorsService } from './indicators.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
/** Analysts and supervisors; what a report names of the fraudsters, never the victim's personal data. */
const readers = { access: 'roles', roles: ['analyst', 'supervisor'] } as const;
const tags = ['indicators'];

export function indicatorRoutes(deps: { indicators: IndicatorsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/indicators',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary:
            'Indicators: newest first, or a search by kind and value (raw or a prefix of the normal form)',
          querystring: IndicatorQuery,
          response: { 200: IndicatorList, ...errors },
        },
      },
      async (req) => deps.indicators.list(req.query),
    );

    app.get(
      '/api/indicators/lookup',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'The indicator a value is, written any way (normalised first), with its provenance',
          querystring: IndicatorLookupQuery,
          response: { 200: IndicatorDetail, ...errors },
        },
      },
      async (req) => deps.indicators.lookup(req.query),
    );

    app.get(
      '/api/indicators/:id',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'One indicator with its provenance (the reports and bank answers that named it)',
          params: IndicatorIdParams,
          response: { 200: IndicatorDetail, ...errors },
        },
      },
      async (req) => deps.indicators.get(req.params.id),
    );
  };
}
