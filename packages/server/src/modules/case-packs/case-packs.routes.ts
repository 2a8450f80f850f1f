import { CasePackParams, CasePackQuery, casePackFormats, ErrorBody } from '@fanzha/contracts';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import { CASE_PACK_CONTENT_TYPES, type CasePacks } from './case-packs.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Analysts (研判) and the supervisor: every cluster. */
const policy = { access: 'roles', roles: ['analyst', 'supervisor'], scope: 'all' } as const;
const tags = ['investigation'];
const audited =
  'Audited (`case-pack.export`, with the SHA-256 of the file, also in the `Repr-Digest` header): a pack can be ' +
  'checked against the entry of its export.';

export function casePackRoutes(deps: { packs: CasePacks }): FastifyPluginAsyncZod {
  return async (app) => {
    // One route per format: the path names the file's kind, and any other is no route (404).
    for (const format of casePackFormats)
      app.get(
        `/api/investigation/clusters/:id/pack.${format}`,
        {
          config: { policy, action: 'case-pack.export' },
          schema: {
            tags,
            summary: `Download a cluster's case pack (案件材料包) as ${format === 'xlsx' ? 'an xlsx workbook' : 'a PDF summary'}`,
            description:
              format === 'xlsx'
                ? 'Sheets 案件概况, 报案, 账户分层, 资金流水 and 处置措施, in Chinese, with totals. ' +
                  audited
                : 'The cluster’s figures, the money-flow chart, the accounts by layer and the measures taken, in Chinese. ' +
                  audited,
            params: CasePackParams,
            querystring: CasePackQuery,
            produces: [CASE_PACK_CONTENT_TYPES[format]],
            response: { 200: z.any().describe('The file'), ...errors },
          },
        },
        async (req, reply) => {
          const f = await deps.packs.file(
            { actor: actorOf(req), requestId: req.id },
            req.params.id,
            format,
            req.query.rule,
          );
          return reply
            .type(f.contentType)
            .header('content-disposition', f.disposition)
            .header('repr-digest', `sha-256=:${f.sha256.toString('base64')}:`)
            .send(f.bytes);
        },
      );
  };
}
