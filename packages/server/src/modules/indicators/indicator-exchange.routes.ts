import {
  ErrorBody,
  FinishIndicatorImportRequest,
  IndicatorExportQuery,
  IndicatorImportChunk,
  IndicatorImportChunkResult,
  IndicatorImportIdParams,
  IndicatorImportView,
  StartIndicatorImportRequest,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/policy';
import type { IndicatorExchange } from './indicator-exchange.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/**
 * Analysts and supervisors: the ones who keep the registry. Not admins (they keep accounts, not data), and
 * no bound role (a county's, a bank's or an operator's user sees its own cases, not the registry).
 */
const exchangers = { access: 'roles', roles: ['analyst', 'supervisor'] } as const;
const tags = ['indicators'];
/** A chunk of 5,000 records of long fields stays far below this. */
const CHUNK_BODY_LIMIT = 16 * 1024 * 1024;

export function indicatorExchangeRoutes(deps: {
  exchange: IndicatorExchange;
  clock: Clock;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.post(
      '/api/indicators/imports',
      {
        config: { policy: exchangers, action: 'indicator.import' },
        schema: {
          tags,
          summary: 'Start an import of an exchange file (CSV): its header, origin and note',
          description:
            'Then send its records in chunks (`POST /api/indicators/imports/{id}/chunks`) and finish it. ' +
            '`fanzha indicators import FILE.csv` does all three. See docs/indicator-exchange.md.',
          body: StartIndicatorImportRequest,
          response: { 201: IndicatorImportView, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await deps.exchange.start(ctxOf(req), req.body)),
    );

    app.post(
      '/api/indicators/imports/:id/chunks',
      {
        bodyLimit: CHUNK_BODY_LIMIT,
        config: { policy: exchangers, action: 'indicator.import' },
        schema: {
          tags,
          summary:
            'Load a chunk of an import’s records (up to 5,000): bad ones reported by line, the rest merged',
          description:
            'Each record is checked and normalised; a bad one is answered with its line and reason and the ' +
            'others are loaded. An indicator is credited to the import’s origin once, so a chunk sent again ' +
            '(a retry) or a file loaded again adds nothing. Indicators created or changed reach screening ' +
            'through one `indicator.imported` event for the chunk, naming them by id.',
          params: IndicatorImportIdParams,
          body: IndicatorImportChunk,
          response: { 200: IndicatorImportChunkResult, ...errors },
        },
      },
      async (req) => deps.exchange.addChunk(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/indicators/imports/:id/finish',
      {
        config: { policy: exchangers, action: 'indicator.import.finish' },
        schema: {
          tags,
          summary: 'Finish an import (audited with its counts); no chunk is taken after it',
          params: IndicatorImportIdParams,
          body: FinishIndicatorImportRequest,
          response: { 200: IndicatorImportView, ...errors },
        },
      },
      async (req) => deps.exchange.finish(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/api/indicators/imports/:id',
      {
        config: { policy: exchangers },
        schema: {
          tags,
          summary: 'One of your imports, with its counts',
          params: IndicatorImportIdParams,
          response: { 200: IndicatorImportView, ...errors },
        },
      },
      async (req) => deps.exchange.get(ctxOf(req), req.params.id),
    );

    app.get(
      '/api/indicators/export',
      {
        config: { policy: exchangers },
        schema: {
          tags,
          summary: 'The whole registry, streamed: CSV (the exchange format) or a STIX 2.1 bundle',
          description:
            'Every indicator in id order, whatever its status: shared, suspended and not-fraud ones are ' +
            'marked (the `status` column; STIX labels and `x_fanzha_status`), never left out. Audited.',
          querystring: IndicatorExportQuery,
          produces: ['text/csv', 'application/stix+json'],
          response: { 200: z.any().describe('The file'), ...errors },
        },
      },
      async (req, reply) => {
        const format = req.query.format;
        const chunks = await deps.exchange.export(ctxOf(req), format);
        const day = deps.clock.now().toISOString().slice(0, 10);
        const name = `fanzha-indicators-${day}.${format === 'csv' ? 'csv' : 'stix.json'}`;
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/stix+json;version=2.1')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(chunks));
      },
    );
  };
}
