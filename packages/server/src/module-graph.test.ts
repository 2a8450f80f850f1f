import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The server's import graph, read from the source: no file takes part in an import cycle, and neither does
// a module (a folder under modules/), so a module can be understood, tested and replaced from its index.ts
// down. Lint keeps the shape (only through index.ts, platform never imports modules); this keeps the order.

const root = dirname(fileURLToPath(import.meta.url));
const importPattern =
  /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string, files: Set<string>): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => files.has(f));
}

/** Strongly connected components with more than one member (or a self-import): the cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function importGraph() {
  const files = sourceFiles(root);
  const known = new Set(files);
  const fileGraph = new Map<string, Set<string>>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const m of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const target = resolveImport(file, (m[1] ?? m[2])!, known);
      if (target) targets.add(target);
    }
    fileGraph.set(relative(root, file), new Set([...targets].map((t) => relative(root, t))));
  }
  return fileGraph;
}

const moduleOf = (file: string) => /^modules\/([^/]+)\//.exec(file)?.[1];

describe('the server import graph', () => {
  const fileGraph = importGraph();

  it('is read from the source (the reader finds the modules and their imports)', () => {
    expect(fileGraph.get('app.ts')?.size).toBeGreaterThan(10);
    expect(
      [...fileGraph.keys()].filter((f) => f.endsWith('/index.ts') && moduleOf(f)).length,
    ).toBeGreaterThan(8);
  });

  it('has no cycle between files', () => {
    expect(cycles(fileGraph)).toEqual([]);
  });

  it('has no cycle between modules', () => {
    const moduleGraph = new Map<string, Set<string>>();
    for (const [file, targets] of fileGraph) {
      const from = moduleOf(file);
      if (!from) continue;
      const edges = moduleGraph.get(from) ?? new Set<string>();
      for (const target of targets) {
        const to = moduleOf(target);
        if (to && to !== from) edges.add(to);
      }
      moduleGraph.set(from, edges);
    }
    expect(cycles(moduleGraph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });
});
