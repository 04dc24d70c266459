// Facts the bundler (scripts/bundle.mjs) writes into dist/tls-census.mjs and dist/parse-worker.mjs. Unbundled
// (the test runner on src/, or dist/cli/main.js) they are found at run time instead.
import { createRequire } from 'node:module';

interface BundleInfo {
  readonly version: string;
  /** The parse worker, relative to the bundle. */
  readonly worker: string;
}

declare const __TLS_CENSUS_BUNDLE__: BundleInfo | undefined;

const BUNDLE: BundleInfo | null = typeof __TLS_CENSUS_BUNDLE__ === 'object' ? __TLS_CENSUS_BUNDLE__ : null;

/** This tls-census's version (package.json). */
export function version(): string {
  if (BUNDLE !== null) return BUNDLE.version;
  // src/bundle-info.ts and dist/bundle-info.js are both one folder below the package root
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/**
 * The parse worker script: next to the bundle, or the bundled one in dist/ (built by `npm run build`) when
 * running unbundled, so tests run the worker that ships.
 */
export function workerUrl(): URL {
  return BUNDLE !== null ? new URL(BUNDLE.worker, import.meta.url) : new URL('../dist/parse-worker.mjs', import.meta.url);
}
