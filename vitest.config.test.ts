import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testFiles, tierOf, tiers, TIERS } from './vitest.config';

const root = dirname(fileURLToPath(import.meta.url));
const placed = tiers(root);

/** Every test file in the repository, found without the tiers' own walk (which looks in fewer places). */
function everyTestFile(dir = root, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist', 'data'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) everyTestFile(path, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(relative(root, path).split('\\').join('/'));
  }
  return out.sort();
}

// What a unit test must not reach, even through the modules it imports: a database, a broker, a
// server process or a browser, or the test helpers that bring them.
const FORBIDDEN_PACKAGES = /^(pg|@electric-sql\/pglite|@nats-io\/.*|playwright-core)$/;
const FORBIDDEN_FILES = [
  'packages/server/src/db/database.ts',
  'packages/server/testing/',
  'packages/e2e/src/support/server.ts',
  'packages/e2e/src/support/browser.ts',
];
// Test helpers that are plain functions over text, importing nothing: a unit test may use them (their own
// imports are still followed like any other file's).
const PURE_HELPERS = new Set([
  'packages/server/testing/prometheus-text.ts',
  'packages/server/testing/indicator-list.ts',
]);

// Type-only imports are erased before the test runs: they bring nothing in.
const RUNTIME_IMPORT =
  /^\s*(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|^\s*import\s+'([^']+)'/gms;

function resolveImport(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith('.')) base = join(dirname(from), specifier);
  else if (specifier.startsWith('@fanzha/')) {
    const [, pkg, ...sub] = specifier.split('/');
    base = join('packages', pkg!, sub.length ? sub.join('/') : 'src/index.ts');
  } else return undefined;
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ])
    if (/\.tsx?$/.test(candidate) && existsSync(join(root, candidate)))
      return candidate.split('\\').join('/');
  return undefined;
}

/** The first import chain from `file` to something a unit test must not reach, if there is one. */
function forbiddenChain(file: string): string[] | undefined {
  const seen = new Set<string>([file]);
  const queue: string[][] = [[file]];
  while (queue.length) {
    const chain = queue.shift()!;
    const at = chain.at(-1)!;
    const source = readFileSync(join(root, at), 'utf8');
    for (const m of source.matchAll(RUNTIME_IMPORT)) {
      const specifier = (m[1] ?? m[2] ?? m[3])!;
      if (FORBIDDEN_PACKAGES.test(specifier)) return [...chain, specifier];
      const next = resolveImport(at, specifier);
      if (!next || seen.has(next)) continue;
      if (FORBIDDEN_FILES.some((f) => next.startsWith(f)) && !PURE_HELPERS.has(next)) return [...chain, next];
      seen.add(next);
      queue.push([...chain, next]);
    }
  }
  return undefined;
}

describe('test tiers', () => {
  it('put every test file of the repository in exactly one tier', () => {
    const all = TIERS.flatMap((t) => placed[t]);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(everyTestFile());
    expect(testFiles(root)).toEqual([...all].sort());
  });

  it('keep databases, brokers, servers and browsers out of the unit tier, however indirectly', () => {
    const reaching = placed.unit.flatMap((file) => {
      const chain = forbiddenChain(file);
      return chain ? [chain.join(' → ')] : [];
    });
    expect(reaching).toEqual([]);
  });

  it('keep the unit tier free of what would leak from one test file to the next without isolation', () => {
    const leaking = placed.unit.filter((file) =>
      /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(leaking).toEqual([]);
  });

  it('place a test by what it imports', () => {
    const importing = (...specifiers: string[]) =>
      specifiers.map((s) => `import { x } from '${s}';`).join('\n');
    expect(tierOf(importing('vitest', './add'))).toBe('unit');
    expect(tierOf(importing('../../../testing/test-databases'))).toBe('storage');
    expect(tierOf(`const { freshDatabase } = await import('${'../testing/test-databases'}');`)).toBe(
      'storage',
    );
    expect(tierOf(importing('../testing/app-harness'))).toBe('storage');
    expect(tierOf(importing('@electric-sql/pglite'))).toBe('storage');
    expect(tierOf(importing('../../../testing/nats-test-env', '../../../testing/test-databases'))).toBe(
      'broker',
    );
    expect(tierOf(importing('./support/server'))).toBe('e2e');
    expect(placed.e2e).toContain('packages/e2e/src/core-loop.test.ts');
    expect(placed.unit).toContain('packages/e2e/src/support/totp.test.ts');
    expect(placed.unit).toContain('vitest.config.test.ts');
  });
});
