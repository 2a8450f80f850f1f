import type { FastifySchema, RouteOptions } from 'fastify';
import { admitsSignalKey, type AccessPolicy } from './policy';

/**
 * How a caller proves who it is, as the OpenAPI document states it: people sign in and carry a session cookie;
 * a bank's own system sends its key as a Bearer token (and signs what it answers, see X-Fanzha-Signature), and
 * so do operators' and upstream centres' systems with their signal keys.
 */
export const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'fanzha_session',
    description:
      'Set by `POST /api/auth/verify` after a password and a TOTP code. State changes must be JSON.',
  },
  bankKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'fzk_…',
    description:
      "A bank system's key (`Authorization: Bearer fzk_…`), bound to one bank, created by an admin. Answers and " +
      'confirmations sent with a key must also carry `X-Fanzha-Signature`: Ed25519 (base64) with the private half ' +
      'of the public key registered with it, over the canonical JSON named on each route.',
  },
  signalKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'fzs_…',
    description:
      "An operator's or an upstream centre's system key (`Authorization: Bearer fzs_…`), bound to one sender, " +
      "created by an admin. An upstream centre's key is valid on `POST /api/upstream/signals` only; an " +
      "operator's on `POST /api/operator/signals` and, acting as that operator's liaison, on its carrier assist " +
      'queue (`/api/carrier-requests`), its countermeasures (`/api/countermeasures`, one by one and in batches), ' +
      'its two-cards instructions (`/api/two-cards/instructions`) and `POST /api/indicators/reassigned` — the ' +
      'routes whose security lists it; anywhere else it is no credential (401). Each signal batch must carry ' +
      '`X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of `{ "signalBatch": body }`; an answer or ' +
      'a report of reassigned numbers, over the JSON named on its route.',
  },
} as const;

/**
 * The security requirement of a route, from its access policy and its URL: whoever the policy admits — a bank's
 * key where a bank's liaison (or anyone signed in) may call, a signal key where it opens the route
 * (`routesOpenedBySignalKey`) in a role the policy admits, a session wherever a person may call.
 */
export function securityOf(
  policy: AccessPolicy | undefined,
  url = '',
): Array<Record<string, string[]>> | undefined {
  if (!policy) return undefined;
  if (policy.access === 'public') return [];
  if (policy.access === 'signal-key') return [{ signalKey: [] }];
  const signalKey = admitsSignalKey(policy, url, 'operator') || admitsSignalKey(policy, url, 'upstream');
  // A bank's key stands for the bank's liaison on every route: wherever the policy admits that role, or anyone
  // signed in (its live stream, say).
  const bankKey = policy.access === 'signed-in' || policy.roles.includes('bank_liaison');
  return [...(bankKey ? [{ bankKey: [] }] : []), ...(signalKey ? [{ signalKey: [] }] : []), { session: [] }];
}

/** Adds each route's security requirement to its transformed schema. */
export function withSecurity<T extends { schema?: FastifySchema & { security?: unknown } }>(
  transformed: T,
  route: RouteOptions | undefined,
): T {
  const security = securityOf(route?.config?.policy, route?.url);
  if (!transformed.schema || security === undefined) return transformed;
  return { ...transformed, schema: { ...transformed.schema, security } };
}

type OperationLike = { requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } };

/**
 * An action that takes no input accepts no body at all (or `null`, or `{}`), so its request body is not
 * required: the generator marks every declared body required, and this corrects it from the body's schema.
 */
export function withOptionalEmptyBodies<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const operations of Object.values(paths))
    for (const op of Object.values(operations) as OperationLike[]) {
      const schema = op.requestBody?.content?.['application/json']?.schema as
        { anyOf?: unknown[] } | undefined;
      if (op.requestBody && schema?.anyOf?.some((s) => (s as { type?: unknown }).type === 'null'))
        op.requestBody.required = false;
    }
  return document;
}
