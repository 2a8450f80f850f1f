import { generateKeyPairSync } from 'node:crypto';
import type { AccessPolicy } from '../src/platform/http/policy';
import type { Harness } from './app-harness';

export type SignalSenderKind = 'operator' | 'upstream';

/**
 * A signal key for each kind of sender (an operator's system, an upstream centre's), made by an admin through
 * the API: the Bearer headers that pass a `signal-key` route's policy, for walks over every route that need
 * each route's own credential to reach its validation. The batches they send are unsigned, so a handler that
 * gets that far refuses them (401).
 */
export async function signalKeyHeaders(
  h: Harness,
  adminCookie: string,
): Promise<Record<SignalSenderKind, { authorization: string }>> {
  const make = async (sender: object) => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/signal-keys',
      headers: { cookie: adminCookie },
      payload: {
        name: 'route walk',
        sender,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    if (res.statusCode !== 201) throw new Error(`signal key not made: ${res.statusCode} ${res.body}`);
    return { authorization: `Bearer ${res.json<{ key: string }>().key}` };
  };
  return {
    operator: await make({ kind: 'operator', operator: 'china_mobile' }),
    upstream: await make({ kind: 'upstream', centre: 'national' }),
  };
}

/** A bank's system key for `bankCode`, made by an admin through the API: its Bearer header. */
export async function bankKeyHeaders(
  h: Harness,
  adminCookie: string,
  bankCode = 'ICBC',
): Promise<{ authorization: string }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/integrations/bank-keys',
    headers: { cookie: adminCookie },
    payload: {
      name: `${bankCode} gateway`,
      bankCode,
      publicKeyPem: generateKeyPairSync('ed25519')
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    },
  });
  if (res.statusCode !== 201) throw new Error(`bank key not made: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json<{ key: string }>().key}` };
}

/** The credential headers of a route's policy: a session cookie by role, or a sender's signal key. */
export function credentialHeaders(
  policy: AccessPolicy | undefined,
  cookieOf: (role: string) => string | undefined,
  signalKeys: Record<SignalSenderKind, { authorization: string }>,
): Record<string, string> {
  if (!policy || policy.access === 'public') return {};
  if (policy.access === 'signal-key') return signalKeys[policy.sender];
  const cookie = cookieOf(policy.access === 'signed-in' ? 'signed-in' : policy.roles[0]!);
  return cookie ? { cookie } : {};
}
