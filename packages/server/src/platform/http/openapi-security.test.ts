import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
    expect(securityOf({ access: 'signed-in' })).toEqual([{ session: [] }]);
    expect(securityOf({ access: 'roles', roles: ['bank_liaison'] })).toEqual([
      { bankKey: [] },
      { session: [] },
    ]);
    expect(securityOf({ access: 'roles', roles: ['telecom_liaison', 'supervisor'] })).toEqual([
      { signalKey: [] },
      { session: [] },
    ]);
    expect(securityOf({ access: 'roles', roles: ['admin'] })).toEqual([{ session: [] }]);
  });
});
