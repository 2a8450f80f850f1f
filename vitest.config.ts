import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The test tiers, fastest first. `unit` is the quick loop: pure tests (no database, no broker, no server
 * process) that run in seconds. `storage` runs services and routes on PGlite and PostgreSQL, `broker` the
 * code that talks to NATS, `e2e` a real server process over real HTTP and in Chromium.
 */
export const TIERS = ['unit', 'storage', 'broker', 'e2e'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * What puts a test file in a tier other than `unit`: the modules it imports (statically or with
 * `import()`). Tests are classified by what they use rather than by where they live, so that no test
 * file has to move or be renamed to change tier; the first rule that matches wins.
 */
export const TIER_SIGNALS: ReadonlyArray<{ tier: Exclude<Tier, 'unit'>; imports: RegExp }> = [
  // A real server process (and usually a browser): the black-box helpers of packages/e2e.
  { tier: 'e2e', imports: /^(\.\/|\.\.\/)*support\/(server|browser)$|^playwright-core$/ },
  // NATS: its test environment or its client.
  { tier: 'broker', imports: /(^|\/)testing\/nats-test-env$|^@nats-io\// },
  // A database: the two engines' test databases, the app harness on them, or a database opened directly.
  {
    tier: 'storage',
    imports: /(^|\/)testing\/(test-databases|app-harness)$|(^|\/)db\/database$|^@electric-sql\/pglite$|^pg$/,
  },
];

const IMPORT = /\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|^\s*import\s+'([^']+)'/gm;

/** The modules a source file imports, as written (type-only imports included: they name a dependency). */
export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The tier of one test file, from its source. */
export function tierOf(source: string): Tier {
  const imports = importsOf(source);
  return TIER_SIGNALS.find((s) => imports.some((i) => s.imports.test(i)))?.tier ?? 'unit';
}

const isTestFile = (name: string) => /\.test\.tsx?$/.test(name);

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (isTestFile(entry.name)) out.push(path);
  }
}

/** Every test file the tiers run: `packages/<name>/src/**` and the repository's own (this file's test). */
export function testFiles(root: string): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    if (existsSync(src)) walk(src, out);
  }
  for (const name of readdirSync(root)) if (isTestFile(name)) out.push(join(root, name));
  return out.map((f) => relative(root, f).split('\\').join('/')).sort();
}

/** The test files of each tier, as paths relative to `root`. */
export function tiers(root: string): Record<Tier, string[]> {
  const byTier: Record<Tier, string[]> = { unit: [], storage: [], broker: [], e2e: [] };
  for (const file of testFiles(root)) byTier[tierOf(readFileSync(join(root, file), 'utf8'))].push(file);
  return byTier;
}

const files = tiers(fileURLToPath(new URL('.', import.meta.url)));

// One project per tier; `npm test` runs them all, `npm run test:unit` is the quick loop.
export default defineConfig({
  test: {
    projects: [
      // Pure tests share nothing mutable, so the unit tier keeps one module graph per worker instead of one
      // per file: the domain's reference data is imported once per worker, not once per file (a third of the time).
      { test: { name: 'unit', include: files.unit, testTimeout: 30_000, isolate: false } },
      { test: { name: 'storage', include: files.storage, testTimeout: 30_000, hookTimeout: 60_000 } },
      // The crash test starts and kills processes that open a database: slower than a request.
      { test: { name: 'broker', include: files.broker, testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'e2e',
          include: files.e2e,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
