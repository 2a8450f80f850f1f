import {
  BankSignalBatchRequest,
  DeadLetterList,
  DeadLetterQuery,
  ErrorBody,
  OperatorSignalBatchRequest,
  SignalBatchResponse,
  UpstreamSignalBatchRequest,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { checkPartySignature } from '../../platform/http/party-signature';
import type { ScreeningService } from './screening.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody };

const SignedHeaders = z
  .object({
    'x-fanzha-signature': z
      .string()
      .max(200)
      .optional()
      .describe('Ed25519 (base64) over the canonical JSON of `{ signalBatch: <the request body as sent> }`'),
  })
  .passthrough();

/**
 * The sender of a batch sent with a signal key, from the key (never from the body), once the batch's
 * signature verifies with the key's public half: `operator:<code>` or `upstream:<centre>`. The route's
 * `signal-key` policy has already refused everyone but a key of this kind of sender.
 */
function signalSenderOf(
  actor: Actor,
  kind: 'operator' | 'upstream',
  signedBody: unknown,
  signature: unknown,
): string {
  checkPartySignature(actor, { signalBatch: signedBody }, signature);
  return (actor.signalSource ?? '').slice(`${kind}:`.length);
}

const signedBy = (who: string) =>
  `For ${who} system with its signal key (\`Authorization: Bearer fzs_…\`, made by an admin at ` +
  "`/api/integrations/signal-keys`; a key sends for its own sender only, on its own sender's endpoint), never a " +
  "person's session (403). Send `X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of " +
  "`{ signalBatch: <the request body as sent> }` with the private half of the key's public key; a missing " +
  'or wrong one is 401. Each signal is answered at its index: `accepted`, or `refused` with its problems ' +
  '(kept as a dead letter for the centre to inspect); a malformed body is refused whole and changes nothing. ' +
  'Sending a signal again (same id) never warns twice.';

export function screeningRoutes(deps: {
  screening: Pick<ScreeningService, 'accept' | 'listDeadLetters'>;
  clock: Clock;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/bank/signals',
      {
        config: {
          policy: { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank' },
          action: 'bank-signals.send',
        },
        // 5,000 signals of a few hundred bytes each: more than the API's usual 1 MiB.
        bodyLimit: 4 * 1024 * 1024,
        // The signature covers the body exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: "Send a batch of your customers' transfer and payment attempts to be screened",
          description:
            "For a bank's system with its key (`Authorization: Bearer`), never a person's session. Each signal is a " +
            '`BankTransferSignal`: the payer (the person the centre may warn: mobile and/or ID number), the payee account ' +
            "screened against the centre's fraud and mule accounts, amount, channel, time, your own id of the signal. " +
            'Send `X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of `{ signalBatch: <the request body ' +
            'as sent> }`. Each signal is answered at its index: `accepted`, or `refused` with its problems (kept as a ' +
            'dead letter for the centre to inspect); a malformed body is refused whole. Sending a signal again (same ' +
            'id) never warns twice.',
          headers: SignedHeaders,
          body: BankSignalBatchRequest,
          response: { 200: SignalBatchResponse, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        if (!actor.answerKeyPem || !actor.bankCode)
          throw new AppError(
            'forbidden',
            "Signals are sent by a bank's system with its key, not from a session",
          );
        checkPartySignature(actor, { signalBatch: rawBodyOf(req) }, req.headers['x-fanzha-signature']);
        return deps.screening.accept(
          { at: deps.clock.now(), requestId: req.id, actor },
          {
            kind: 'bank',
            bank: actor.bankCode,
            sentAt: req.body.sentAt,
            signals: req.body.signals,
          },
        );
      },
    );

    app.post(
      '/api/operator/signals',
      {
        config: { policy: { access: 'signal-key', sender: 'operator' }, action: 'operator-signals.send' },
        bodyLimit: 4 * 1024 * 1024,
        preValidation: keepRawBody,
        schema: {
          tags: ['signals'],
          summary: "Send a batch of your subscribers' calls, SMS, URL visits or app installs to be screened",
          description:
            `${signedBy("an operator's")} One batch is one \`kind\` (\`call\`, \`sms\`, \`url\`, \`app\`), its ` +
            'signals `CallSignal`, `SmsSignal`, `UrlSignal` or `AppSignal` as on the signals stream; the operator is ' +
            "the key's. Each is screened against the centre's indicators (the calling number, the site, the app).",
          headers: SignedHeaders,
          body: OperatorSignalBatchRequest,
          response: { 200: SignalBatchResponse, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const operator = signalSenderOf(actor, 'operator', rawBodyOf(req), req.headers['x-fanzha-signature']);
        const { kind, sentAt, signals } = req.body;
        return deps.screening.accept(
          { at: deps.clock.now(), requestId: req.id, actor },
          { kind, operator, sentAt, signals },
        );
      },
    );

    app.post(
      '/api/upstream/signals',
      {
        config: { policy: { access: 'signal-key', sender: 'upstream' }, action: 'upstream-signals.send' },
        bodyLimit: 4 * 1024 * 1024,
        preValidation: keepRawBody,
        schema: {
          tags: ['signals'],
          summary: "Send a batch of your centre's decided warnings (national or provincial centre)",
          description:
            `${signedBy("an upstream centre's")} Each signal is an \`UpstreamWarningSignal\`: the person (phone ` +
            'and/or ID number), the level you decided (`high`, `medium`, `low`: a floor for our grading), the county, ' +
            "your reason and your own id of the warning; the centre is the key's. Each is a warning of itself: no " +
            'indicator needs to match.',
          headers: SignedHeaders,
          body: UpstreamSignalBatchRequest,
          response: { 200: SignalBatchResponse, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const centre = signalSenderOf(actor, 'upstream', rawBodyOf(req), req.headers['x-fanzha-signature']);
        return deps.screening.accept(
          { at: deps.clock.now(), requestId: req.id, actor },
          { kind: 'upstream', centre, sentAt: req.body.sentAt, signals: req.body.signals },
        );
      },
    );

    app.get(
      '/api/signals/dead-letters',
      {
        config: { policy: { access: 'roles', roles: ['admin', 'supervisor'] } },
        schema: {
          tags: ['signals'],
          summary: 'Signal batches and signals that could not be read, newest first, with the reason',
          description:
            'Every malformed batch (unreadable JSON, a bad envelope) or signal (a field missing or wrong) from NATS or ' +
            'the HTTP endpoints: counted, kept here with its problems and the first 1,000 characters as received, and ' +
            'skipped. Page back with `before` (the last id seen). Kept 30 days.',
          querystring: DeadLetterQuery,
          response: { 200: DeadLetterList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) =>
        deps.screening.listDeadLetters({
          before: req.query.before === undefined ? undefined : Number(req.query.before),
          limit: req.query.limit,
        }),
    );
  };
}
