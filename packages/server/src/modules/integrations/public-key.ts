import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { FieldProblem } from '@fanzha/contracts';

/**
 * What is wrong with the public key a party registers to sign what its system sends, if anything. It must be
 * the public half of an Ed25519 pair in SPKI PEM. A private key is refused on its own: Node would derive its
 * public half and accept it, and the centre would then keep the party's secret in its key list and audit trail.
 */
export function publicKeyProblem(pem: string): FieldProblem | undefined {
  if (isPrivateKey(pem))
    return {
      field: 'body.publicKeyPem',
      reason: 'private_key',
      message:
        'is a private key: send only its public half (openssl pkey -in bank.key -pubout); nothing was stored, ' +
        'but treat that private key as exposed and make a new pair',
    };
  try {
    if (createPublicKey(pem).asymmetricKeyType === 'ed25519') return undefined;
  } catch {
    // not a key at all: the same answer as a key of another kind
  }
  return {
    field: 'body.publicKeyPem',
    reason: 'not_ed25519',
    message: 'must be an Ed25519 public key in SPKI PEM form',
  };
}

function isPrivateKey(pem: string): boolean {
  // An encrypted private key cannot be opened without its passphrase, but is no public key either.
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) return true;
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}
