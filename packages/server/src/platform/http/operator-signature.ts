import { z } from 'zod';
import type { Actor } from '../actor';
import { isValidSignature } from '../crypto/signer';
import { AppError } from './errors';

/** The header an operator's system signs what it sends with. */
export const OperatorSignatureHeaders = (covers: string) =>
  z
    .object({
      'x-fanzha-signature': z
        .string()
        .max(200)
        .optional()
        .describe(
          `Required with an operator's signal key: Ed25519 (base64) over the canonical JSON of ${covers}`,
        ),
    })
    .passthrough();

/**
 * An operator's system (its signal key) signs what it sends; a liaison in the console is vouched for by the
 * session. A missing or wrong signature from a system is 401 and changes nothing.
 */
export function checkOperatorSignature(actor: Actor, signed: unknown, signature: unknown): void {
  if (actor.signalSource && !(actor.answerKeyPem && isValidSignature(actor.answerKeyPem, signed, signature)))
    throw new AppError(
      'unauthenticated',
      'The signature (X-Fanzha-Signature) does not verify with the key registered for this operator',
    );
}
