#!/usr/bin/env node
// Thin launcher: the built CLI (one bundle, see scripts/bundle.mjs) decides the exit code; nothing else happens here.
// Without the build (a clone installed with --ignore-scripts, or dist/ deleted) one line says what to run, exit 2.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/tls-census.mjs', import.meta.url);
if (existsSync(bundle)) {
  const { execute } = await import(bundle.href);
  process.exitCode = await execute(process.argv.slice(2));
} else {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  process.stderr.write(`tls-census: not built yet (no dist/tls-census.mjs): run "npm run build" in ${root}\n`);
  process.exitCode = 2;
}
