import { readFileSync } from 'node:fs';
import { roles } from '@fanzha/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { operationsOf, type OpenApiDocument } from '../../../testing/openapi-walk';
import { bankKeyHeaders, signalKeyHeaders } from '../../../testing/signal-key-credentials';
import { describeEachStorage } from '../../../testing/test-databases';
import { securityOf } from './openapi-security';

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
}
const document = JSON.parse(
  readFileSync(new URL('../../../../contracts/openapi.json', import.meta.url), 'utf8'),
) as {
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, Operation>>;
};

describe('the published API says how to authenticate', () => {
  it('declares the session cookie and the bank key as security schemes', () => {
    expect(document.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey' },
      bankKey: { type: 'http', scheme: 'bearer' },
    });
  });

  it('names the bank key on every bank route, and the signature header where answers are signed', () => {
    const bankRoutes = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/bank/'));
    expect(bankRoutes.length).toBeGreaterThan(4);
    for (const [path, operations] of bankRoutes)
      for (const [method, op] of Object.entries(operations)) {
        if (path === '/api/bank/signing-key') expect(op.security, path).toEqual([]);
        else expect(op.security, `${method} ${path}`).toContainEqual({ bankKey: [] });
      }
    for (const path of ['/api/bank/instructions/{id}/result', '/api/bank/instructions/{id}/confirm'])
      expect(document.paths[path]!['post']!.parameters?.map((p) => p.name)).toEqual(
        expect.arrayContaining(['idempotency-key', 'x-fanzha-signature']),
      );
  });

  it("names the signal key, and only it, on the operators' and upstream centres' signals routes", () => {
    expect(document.components.securitySchemes).toMatchObject({
      signalKey: { type: 'http', scheme: 'bearer' },
    });
    for (const path of ['/api/operator/signals', '/api/upstream/signals']) {
      const op = document.paths[path]!['post']!;
      expect(op.security, path).toEqual([{ signalKey: [] }]);
      expect(
        op.parameters?.map((p) => p.name),
        path,
      ).toContain('x-fanzha-signature');
    }
    expect(securityOf({ access: 'signal-key', sender: 'operator' })).toEqual([{ signalKey: [] }]);
  });

  it('does not require a body of an action that takes no input', () => {
    const ops = document.paths as unknown as Record<
      string,
      Record<string, { requestBody?: { required?: boolean } }>
    >;
    for (const path of [
      '/api/bank/instructions/{id}/ack',
      '/api/fund-decisions/{id}/approve',
      '/api/auth/sign-out',
    ])
      expect(ops[path]!['post']!.requestBody?.required, path).toBe(false);
    expect(ops['/api/bank/instructions/{id}/confirm']!['post']!.requestBody?.required).toBe(true);
  });

  it('derives each route’s requirement from its access policy', () => {
    expect(securityOf({ access: 'public', limit: 'public' })).toEqual([]);
    expect(securityOf({ access: 'signed-in' })).toEqual([{ bankKey: [] }, { session: [] }]);
    expect(securityOf({ access: 'roles', roles: ['bank_liaison'] })).toEqual([
      { bankKey: [] },
      { session: [] },
    ]);
    // A signal key where it opens the route, in a role the policy admits; a bank key wherever a bank's liaison may.
    const parties = { access: 'roles', roles: ['telecom_liaison', 'bank_liaison'] } as const;
    expect(securityOf(parties, '/api/countermeasures/:id/answer')).toEqual([
      { bankKey: [] },
      { signalKey: [] },
      { session: [] },
    ]);
    expect(securityOf(parties, '/api/tasks')).toEqual([{ bankKey: [] }, { session: [] }]);
    expect(
      securityOf({ access: 'roles', roles: ['telecom_liaison', 'supervisor'] }, '/api/carrier-requests'),
    ).toEqual([{ signalKey: [] }, { session: [] }]);
    expect(securityOf({ access: 'roles', roles: ['supervisor'] }, '/api/carrier-requests')).toEqual([
      { session: [] },
    ]);
    expect(securityOf({ access: 'roles', roles: ['admin'] })).toEqual([{ session: [] }]);
  });

  it("says in the signal key's description where it works", () => {
    const description = (document.components.securitySchemes['signalKey'] as { description?: string })
      .description;
    for (const route of [
      '/api/operator/signals',
      '/api/upstream/signals',
      '/api/carrier-requests',
      '/api/countermeasures',
      '/api/two-cards/instructions',
      '/api/indicators/reassigned',
    ])
      expect(description, route).toContain(route);
  });
});

const someId = '6f1c1d2e-0000-4000-8000-000000000001';

/**
 * What the document promises against what the server does, route by route and credential by credential: each
 * route is called with no credential, a bank key, each kind of signal key and every role's session, and a query
 * key no contract has, so that a credential the policy admits is answered 400 by validation (and nothing runs)
 * while one it does not admit is 401 or 403. The document's security must list exactly the schemes admitted.
 */
describeEachStorage('the OpenAPI security of every route is what its policy admits', (database) => {
  let h: Harness;
  const sessions: Array<{ cookie: string }> = [];
  let bankKey: { authorization: string };
  let signalKeys: Awaited<ReturnType<typeof signalKeyHeaders>>;

  beforeAll(async () => {
    h = await createHarness(database());
    const bindings: Record<string, object> = {
      bank_liaison: { bankCode: 'ICBC' },
      telecom_liaison: { operatorCode: 'china_mobile' },
      county_police: { countyCode: '520102' },
    };
    for (const role of roles) {
      const username = `sec.${role.replace('_', '.')}`;
      await h.createUser({ username, displayName: role, role, ...bindings[role] });
      sessions.push({ cookie: await h.signIn(username) });
    }
    const admin = sessions[roles.indexOf('admin')]!.cookie;
    signalKeys = await signalKeyHeaders(h, admin);
    bankKey = await bankKeyHeaders(h, admin);
  });
  afterAll(() => h.close());

  it('lists a scheme on a route exactly when the server admits its credential there', async () => {
    const served = h.app.swagger() as unknown as OpenApiDocument & {
      paths: Record<string, Record<string, Operation>>;
    };
    const ops = operationsOf(served).filter(
      (op) => op.url.startsWith('/api/') && !op.url.startsWith('/api/docs'),
    );
    expect(ops.length).toBeGreaterThan(100);
    const admits = async (method: string, url: string, headers: object) => {
      const res = await h.app.inject({
        method: method as 'GET',
        url: `${url.replace(/:\w+/g, someId)}?zz_not_in_contract=1`,
        headers: headers as Record<string, string>,
      });
      return res.statusCode !== 401 && res.statusCode !== 403;
    };
    const anyOf = async (method: string, url: string, all: object[]) => {
      for (const headers of all) if (await admits(method, url, headers)) return true;
      return false;
    };
    const mismatches: string[] = [];
    for (const op of ops) {
      const path = op.url.replace(/:(\w+)/g, '{$1}');
      const security = served.paths[path]![op.method.toLowerCase()]!.security;
      // What the committed document says is what the server serves.
      expect(document.paths[path]?.[op.method.toLowerCase()]?.security, `${op.method} ${path}`).toEqual(
        security,
      );
      const schemes = (security ?? []).flatMap((s) => Object.keys(s)).sort();
      const observed = (await admits(op.method, op.url, {}))
        ? []
        : [
            ...((await admits(op.method, op.url, bankKey)) ? ['bankKey'] : []),
            ...((await anyOf(op.method, op.url, sessions)) ? ['session'] : []),
            ...((await anyOf(op.method, op.url, [signalKeys.operator, signalKeys.upstream]))
              ? ['signalKey']
              : []),
          ].sort();
      if (JSON.stringify(schemes) !== JSON.stringify(observed))
        mismatches.push(
          `${op.method} ${path}: document ${schemes.join(',') || '(none)'}, server ${observed.join(',') || '(none)'}`,
        );
    }
    expect(mismatches).toEqual([]);
  });
});
