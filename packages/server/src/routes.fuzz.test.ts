import { ErrorBody } from '@fanzha/contracts';
import { roles, type Role } from '@fanzha/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../testing/test-databases';
import type { AccessPolicy } from './platform/http/policy';
import { createHarness, type Harness } from '../testing/app-harness';
import { cardOf, reportWith } from '../testing/core-loop-fixtures';
import { digestOf } from '../testing/db-digest';
import { credentialHeaders, signalKeyHeaders } from '../testing/signal-key-credentials';
import { hostileText, pathParamFor, queryValueFor, valueFor } from '../testing/openapi-arbitraries';
import { operationsOf, type OpenApiDocument, type Operation } from '../testing/openapi-walk';

/**
 * Every route, fed requests generated from its own OpenAPI schemas with hostile text, numbers, types,
 * keys and path parameters: never a 5xx, always the one error shape with the request id, and a refused
 * request changes nothing. Small in `npm test`; FANZHA_FUZZ_RUNS=5000 for a long run.
 */
const runs = Number(process.env.FANZHA_FUZZ_RUNS ?? 100);
/** FANZHA_FUZZ_SEED replays a run: the seed a failure printed, with at least as many runs as it took. */
const seed = process.env.FANZHA_FUZZ_SEED === undefined ? undefined : Number(process.env.FANZHA_FUZZ_SEED);
const bindings: Partial<Record<Role, object>> = {
  bank_liaison: { bankCode: 'ICBC' },
  telecom_liaison: { operatorCode: 'china_mobile' },
  county_police: { countyCode: '520102' },
};
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FuzzRequest {
  op: Operation;
  id: string | undefined;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

describeEachStorage('every route under fuzzing', (database) => {
  let h: Harness;
  let ops: Operation[];
  let doc: OpenApiDocument;
  const cookies = new Map<string, string>();
  let signalKeys: Awaited<ReturnType<typeof signalKeyHeaders>>;
  const realIds: string[] = [];

  beforeAll(async () => {
    h = await createHarness(database(), { logger: { level: 'error' } });
    for (const role of roles) {
      const username = `fuzz.${role.replace('_', '.')}`;
      await h.createUser({ username, displayName: role, role, ...bindings[role] });
      cookies.set(role, await h.signIn(username));
    }
    // Any signed-in user's routes (sign-out among them) get a session of their own.
    await h.createUser({ username: 'fuzz.anyone', displayName: 'Anyone', role: 'analyst' });
    cookies.set('signed-in', await h.signIn('fuzz.anyone'));
    signalKeys = await signalKeyHeaders(h, cookies.get('admin')!);
    // Real objects, so that some requests reach them: a target account, a report, its requests (one sent).
    realIds.push((await h.createUser({ username: 'fuzz.target', displayName: 'T', role: 'analyst' })).id);
    const { id, report } = await reportWith(h, cookies.get('call_taker')!, [
      { number: cardOf('ICBC', 7), amountFen: 900_000 },
      { number: cardOf('CCB', 8), amountFen: 300_000 },
    ]);
    realIds.push(id);
    const requests = report.transfers.flatMap((t) => t.stopPaymentId ?? []);
    realIds.push(...requests);
    const sent = await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${requests[0]}/send`,
      headers: { cookie: cookies.get('stop_payment_officer')! },
      payload: { legalDocNumber: '黔公止字[2026]0001' },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    doc = h.app.swagger() as unknown as OpenApiDocument;
    ops = operationsOf(doc).filter((op) => op.url.startsWith('/api/'));
  });
  afterAll(() => h.close());

  const policyOf = (op: Operation): AccessPolicy | undefined =>
    h.app.registeredRoutes.find((r) => r.method === op.method && r.url === op.url)?.policy;

  function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
    const isStream = op.url === '/api/stream';
    const query = fc.record(
      Object.fromEntries(
        op.query.map((p) => [
          p.name,
          // A well-formed lastEventId opens a stream that never ends: the stream gets hostile ones only.
          isStream ? hostileText.filter((t) => !uuidPattern.test(t)) : queryValueFor(doc, p.schema),
        ]),
      ),
      { requiredKeys: isStream ? op.query.map((p) => p.name) : [] },
    );
    return fc.record({
      op: fc.constant(op),
      id: op.params.length > 0 ? pathParamFor(realIds) : fc.constant(undefined),
      query: fc.oneof(
        { weight: 5, arbitrary: query },
        { weight: 1, arbitrary: fc.tuple(query, hostileText).map(([q, k]) => ({ ...q, [k]: '1' })) },
      ),
      body: op.body
        ? fc.oneof(valueFor(doc, op.body, false), valueFor(doc, op.body, true))
        : fc.constant(undefined),
      headers: fc.record(
        Object.fromEntries(
          op.headers.map((p) => [
            p.name,
            fc.oneof(
              fc.uuid(),
              hostileText.filter((t) => t.length < 1000),
            ),
          ]),
        ),
      ),
    });
  }

  async function send(req: FuzzRequest) {
    const { op } = req;
    const credentials = credentialHeaders(policyOf(op), (r) => cookies.get(r), signalKeys);
    const query = new URLSearchParams(req.query).toString();
    return h.app.inject({
      method: op.method as 'POST',
      url: `${op.url.replace(/:\w+/g, req.id ?? '')}${query ? `?${query}` : ''}`,
      headers: {
        ...req.headers,
        ...credentials,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(req.body !== undefined ? { payload: JSON.stringify(req.body) } : {}),
    });
  }

  it(
    'answers every hostile request below 500, in the one error shape, and a refusal changes nothing',
    async () => {
      const anyRequest = fc.nat({ max: ops.length - 1 }).chain((i) => requestFor(ops[i]!));
      await fc.assert(
        fc.asyncProperty(anyRequest, async (req) => {
          const name = `${req.op.method} ${req.op.url}`;
          const before = await digestOf(database().db);
          const res = await send(req);
          const where = `${name} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (name === 'POST /api/auth/sign-out' && res.statusCode === 204)
            cookies.set('signed-in', await h.signIn('fuzz.anyone'));
          if (res.statusCode < 400) return;
          const body = ErrorBody.safeParse(res.json());
          expect(body.success, where).toBe(true);
          expect(body.data?.error.requestId, where).toBe(res.headers['x-request-id']);
          const after = await digestOf(database().db);
          // A refused sign-in counts towards the lock-out, by design: that is its whole change.
          if (name.startsWith('POST /api/auth/'))
            for (const table of ['sign_in_throttle', 'auth_challenge']) after[table] = before[table]!;
          expect(after, `${where}: a refused request changed something`).toEqual(before);
        }),
        { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
      );
    },
    Math.max(60_000, runs * 1_000),
  );
});
