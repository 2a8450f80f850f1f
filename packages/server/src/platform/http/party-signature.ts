import { z } from 'zod';
import type { Actor } from '../actor';
import { isValidSignature } from '../crypto/signer';
import { AppError } from './errors';

/** The header a party's system (a bank key or a signal key) signs what it sends with. */
export const PartySignatureHeaders = (covers: string) =>
  z
    .object({
      'x-fanzha-signature': z
        .string()
        .max(200)
        .optional()
        .describe(
          `Required with a bank's or operator's key: Ed25519 (base64) over the canonical JSON of ${covers}`,
        ),
    })
    .passthrough();

/** Whether the actor is a party's system, signing with a registered key, rather than a person's session. */
export const isPartySystem = (actor: Actor): boolean =>
  actor.answerKeyPem !== undefined || actor.signalSource !== undefined;

/**
 * A bank's or operator's system (its bank key or signal key) signs what it sends, with the private half of the
 * public key registered for that key; a liaison in the console is vouched for by the session. A missing or
 * wrong signature from a system is 401 and changes nothing. The one check for every signed route.
 */
export function checkPartySignature(actor: Actor, signed: unknown, signature: unknown): void {
  if (
    isPartySystem(actor) &&
    !(actor.answerKeyPem && isValidSignature(actor.answerKeyPem, signed, signature))
  )
    throw new AppError(
      'unauthenticated',
      'The signature (X-Fanzha-Signature) does not verify with the key registered for this ' +
        (actor.signalSource ? 'sender' : 'bank'),
    );
}
