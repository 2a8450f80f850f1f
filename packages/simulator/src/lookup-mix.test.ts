import { PayeeCheckRequest, RiskLookupRequest } from '@fanzha/contracts';
import { normaliseIndicator } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { gangTargets } from './countermeasure-mix';
import { planLookup, planPayeeCheck, type LookupWorld } from './lookup-mix';
import { createMuleNetwork } from './mules';

const world: LookupWorld = {
  seed: 7,
  runTag: 'abc',
  gangs: 16,
  mules: createMuleNetwork(7),
  layerOneCards: 40,
};
const registryKind = { phone: 'phone', url: 'domain', account: 'account' } as const;

/** The gangs' values in their normal form: what the registry would hold once reports name them. */
const known = new Set<string>();
for (let g = 0; g < 16; g++)
  for (const t of gangTargets(7, g, world.mules, 40)) {
    const kind = {
      block_phone: 'phone',
      takedown_url: 'domain',
      block_app: 'app',
      restrict_account: 'account',
    } as const;
    const n = normaliseIndicator(kind[t.kind], t.value);
    if (n.ok) known.add(n.value);
  }

describe('public lookups', () => {
  const lookups = Array.from({ length: 2000 }, (_, i) => planLookup(world, i));

  it('are values the lookup takes, written as people write them', () => {
    for (const l of lookups) {
      expect(() => RiskLookupRequest.parse(l)).not.toThrow();
      expect(normaliseIndicator(registryKind[l.kind], l.value).ok, `${l.kind} ${l.value}`).toBe(true);
    }
    expect(lookups.some((l) => l.kind === 'phone' && l.value.includes(' '))).toBe(true);
    expect(lookups.some((l) => l.kind === 'url' && l.value.startsWith('https://'))).toBe(true);
  });

  it("mix the gangs' values (about a third) with ordinary ones, of every kind", () => {
    const isKnown = (l: (typeof lookups)[number]) => {
      const n = normaliseIndicator(registryKind[l.kind], l.value);
      return n.ok && known.has(n.value);
    };
    const share = lookups.filter(isKnown).length / lookups.length;
    // International numbers the analyst cannot block are still known to the registry: a little under.
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.4);
    for (const kind of ['phone', 'url', 'account'] as const) {
      expect(lookups.filter((l) => l.kind === kind && isKnown(l)).length).toBeGreaterThan(0);
      expect(lookups.filter((l) => l.kind === kind && !isKnown(l)).length).toBeGreaterThan(0);
    }
  });

  it('are the same for the same seed and index', () => {
    expect(planLookup(world, 11)).toEqual(planLookup({ ...world, mules: createMuleNetwork(7) }, 11));
  });
});

describe("banks' payee checks", () => {
  const checks = Array.from({ length: 400 }, (_, i) => planPayeeCheck(world, 'CCB', i));

  it('are calls the API takes: 1 to 100 payees, refs unique', () => {
    for (const c of checks) {
      expect(() => PayeeCheckRequest.parse(c)).not.toThrow();
      expect(new Set(c.payees.map((p) => p.ref)).size).toBe(c.payees.length);
      for (const p of c.payees) expect(normaliseIndicator('account', p.account).ok).toBe(true);
    }
    const sizes = checks.map((c) => c.payees.length);
    expect(Math.max(...sizes)).toBeGreaterThan(3);
    expect(sizes.filter((n) => n <= 3).length / sizes.length).toBeGreaterThan(0.9);
  });

  it("name a gang's card now and then", () => {
    const payees = checks.flatMap((c) => c.payees);
    const hits = payees.filter((p) => known.has(p.account.replaceAll(' ', ''))).length;
    expect(hits / payees.length).toBeGreaterThan(0.01);
    expect(hits / payees.length).toBeLessThan(0.1);
  });
});
