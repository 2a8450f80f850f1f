import {
  EmptyBody,
  ErrorBody,
  IdParams,
  InstructionList,
  InstructionQuery,
  MeasureConfirmationRequest,
  SignedInstruction,
  SigningKey,
  WebhookTestResult,
  type MeasureConfirmationRequest as Confirmation,
} from '@fanzha/contracts';
import {
  bankInstructionKinds,
  bankInstructionStatuses,
  openBankInstructionStatuses,
  type BankInstructionStatus,
  type Clock,
} from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { wireAlgorithm, type Signer } from '../../platform/crypto/signer';
import { checkPartySignature } from '../../platform/http/party-signature';
import { actorOf, publicRoute } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { parseStatusList } from '../../platform/http/status-list';
import type { AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import type { BankInstructionService } from './bank-instructions.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const bank = { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank' } as const;
const tags = ['bank'];
type Ctx = AuditContext & { actor: Actor };

export const IdempotencyHeaders = z
  .object({
    'idempotency-key': z
      .string()
      .min(1)
      .max(128)
      .describe('Unique per answer: a retry with the same key and body changes nothing'),
    'x-fanzha-signature': z
      .string()
      .max(200)
      .optional()
      .describe(
        'Required with a bank key: Ed25519 (base64) over the canonical JSON named in the description',
      ),
  })
  .passthrough();

export function bankProtocolRoutes(deps: {
  bankInstructions: BankInstructionService;
  clock: Clock;
  signer: Signer;
  /** Acknowledges an instruction of any kind (the owner of emergency stops updates its request too). */
  acknowledge: (ctx: Ctx, id: string) => Promise<SignedInstruction>;
  /** Records the bank's confirmation of a freeze, renewal, release, return or lapse notice. */
  confirm: (ctx: Ctx, id: string, body: Confirmation, key: string) => Promise<SignedInstruction>;
  /** Sends a signed test delivery to the webhook of the calling bank key. */
  testWebhook: (actor: Actor) => Promise<WebhookTestResult>;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]): Ctx => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/bank/signing-key',
      {
        config: publicRoute('public'),
        schema: {
          tags,
          summary: "The centre's public key for verifying instructions and webhook deliveries",
          response: { 200: SigningKey },
        },
      },
      async () => ({
        algorithm: wireAlgorithm(deps.signer.algorithm),
        keyId: deps.signer.keyId,
        publicKeyPem: deps.signer.publicKeyPem,
      }),
    );

    app.get(
      '/api/bank/instructions',
      {
        config: { policy: bank },
        schema: {
          tags,
          summary: "Your bank's instructions of every kind, in the order they changed",
          description:
            'Liaison session or bank key (`Authorization: Bearer fzk_…`); only your own bank’s. Ordered by `sequence`, ' +
            'which moves on every change (issued, acknowledged, answered, deadline moved): keep `nextCursor` and pass ' +
            'it as `after` to get the next page, or later to get only what changed since. Default: the open ones.',
          querystring: InstructionQuery,
          response: { 200: InstructionList, ...errors },
        },
      },
      async (req) => {
        const q = req.query;
        const statuses: BankInstructionStatus[] | 'all' =
          q.status === 'all'
            ? 'all'
            : parseStatusList(q.status, bankInstructionStatuses, openBankInstructionStatuses);
        const kinds = q.kind ? parseStatusList(q.kind, bankInstructionKinds, [], 'kind') : 'all';
        const { items, hasMore, nextCursor } = await deps.bankInstructions.list(actorOf(req), {
          statuses,
          kinds,
          after: q.after ?? null,
          updatedSince: q.updatedSince ? new Date(q.updatedSince) : null,
          limit: q.limit,
        });
        return { instructions: items, nextCursor, hasMore };
      },
    );

    app.get(
      '/api/bank/instructions/:id',
      {
        config: { policy: bank },
        schema: {
          tags,
          summary: 'One instruction, as signed, with its state (e.g. after a timeout or a 409)',
          params: IdParams,
          response: { 200: SignedInstruction, ...errors },
        },
      },
      async (req) => deps.bankInstructions.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/bank/instructions/:id/ack',
      {
        config: { policy: bank, action: 'bank-instruction.acknowledge' },
        schema: {
          tags,
          summary: 'Acknowledge receipt (optional before the answer); again changes nothing',
          params: IdParams,
          body: EmptyBody,
          response: { 200: SignedInstruction, ...errors },
        },
      },
      async (req) => deps.acknowledge(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/bank/instructions/:id/confirm',
      {
        config: { policy: bank, action: 'bank-instruction.confirm' },
        // The signature covers the body exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags,
          summary: 'Confirm what you did on a freeze, renewal, release, return or lapse notice',
          description:
            'The outcome names the kind (frozen, renewed, released, returned, lifted) or is `failed` with a reason. ' +
            'Freezes, releases and returns say the amount actually frozen, released or returned: less than instructed ' +
            'is a partial execution and the rest stays frozen. Requires an `Idempotency-Key` header: the same ' +
            'confirmation again changes nothing; a different one is refused (409). A bank system using a key also ' +
            'sends `X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of ' +
            '`{ instructionId, idempotencyKey, confirmation: <the request body as sent> }`. Emergency stops are ' +
            'answered at `/result`.',
          params: IdParams,
          headers: IdempotencyHeaders,
          body: MeasureConfirmationRequest,
          response: { 200: SignedInstruction, ...errors },
        },
      },
      async (req) => {
        const key = req.headers['idempotency-key'];
        const actor = actorOf(req);
        checkPartySignature(
          actor,
          { instructionId: req.params.id, idempotencyKey: key, confirmation: rawBodyOf(req) },
          req.headers['x-fanzha-signature'],
        );
        return deps.confirm(ctxOf(req), req.params.id, req.body, key);
      },
    );

    app.post(
      '/api/bank/webhook/test',
      {
        config: { policy: bank, action: 'bank-webhook.test' },
        schema: {
          tags,
          summary: "Send a signed test delivery to your key's webhook now, and see what it answered",
          description:
            'With a bank key that has a webhook: a delivery with `event: test` and `item: null`, signed like every ' +
            'delivery (`X-Fanzha-Signature` over the canonical JSON of the body, with the centre’s signing key).',
          body: EmptyBody,
          response: { 200: WebhookTestResult, ...errors },
        },
      },
      async (req) => deps.testWebhook(actorOf(req)),
    );
  };
}
