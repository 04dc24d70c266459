#!/usr/bin/env node
// Finds import cycles among the TypeScript files under the folders given (default src/), type-only imports
// included (eslint's import-x/no-cycle skips those): prints each cycle and exits 1, or exits 0 when there is none.
// Run by `npm run lint`; test/lint/import-rules.test.ts shows it failing on a deliberate cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The graph: file → files it imports (relative specifiers; `.js` written for `.ts`). */
export function importGraph(roots) {
  const all = roots.flatMap((r) => files(resolve(r)));
  const known = new Set(all);
  const graph = new Map();
  for (const file of all) {
    const text = readFileSync(file, 'utf8');
    const deps = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const spec = resolve(dirname(file), m[1] ?? m[2]);
      const target = [spec.replace(/\.(m?)js$/, '.$1ts'), spec, `${spec}.ts`].find((p) => known.has(p));
      if (target !== undefined) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src'];
  const found = cycles(importGraph(roots));
  for (const c of found) console.error(`import cycle: ${c.map((f) => relative(process.cwd(), f)).join(' ↔ ')}`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
