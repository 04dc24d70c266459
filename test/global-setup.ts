// Before any test: builds dist/ when it is missing or older than a source, so that `npx vitest run` works without a
// prior `npm run build` (the CLI tests run bin/tls-census.js, parse workers load dist/parse-worker.mjs). Under
// `npm test` the build has just run, and this only compares modification times.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the tests run: the bundles and the compiled modules (bench and synth tests import dist/ modules too). */
const BUILT = ['dist/tls-census.mjs', 'dist/parse-worker.mjs', 'dist/synth/cli.js'];
const SOURCES = ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

function oldestBuilt(): number {
  try {
    return Math.min(...BUILT.map((p) => statSync(join(ROOT, p)).mtimeMs));
  } catch {
    return -1; // missing
  }
}

export default function setup(): void {
  const sources = Math.max(...SOURCES.map((p) => newest(join(ROOT, p))));
  if (oldestBuilt() >= sources) return;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
