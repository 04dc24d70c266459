// Bundles the compiled CLI and parse worker (dist/, from tsc) into one file each: loading ~100 ESM modules and
// yargs' own took 0.3 s of every run, one bundle about 0.1 s (bench/RESULTS.md, "Process start").
// better-sqlite3 stays outside (a native addon); Chart.js comes in as text (src/report/chart-library.ts, generated).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

/**
 * yargs looks for a package.json upwards from the folder above its node_modules, which inside a bundle is none: it
 * read the listing of the working directory and of each one above it at every start (an admin's folder of a hundred
 * thousand logs, a network share). From the bundle's own folder it finds tls-census's at once.
 */
const YARGS_SHIM = /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/;
const YARGS_MAIN = "__dirname.substring(0, __dirname.lastIndexOf('node_modules'))";
const yargsFromBundle = {
  name: 'yargs-from-bundle',
  setup(b) {
    b.onLoad({ filter: YARGS_SHIM }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(YARGS_MAIN)) throw new Error(`${args.path}: yargs changed; see scripts/bundle.mjs (yargs-from-bundle)`);
      return { contents: text.replace(YARGS_MAIN, 'dirname(__dirname)'), loader: 'js' };
    });
  },
};

const common = {
  plugins: [yargsFromBundle],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // CommonJS dependencies inside an ES module bundle need a `require`
  banner: { js: "import { createRequire as __tlsCensusRequire } from 'node:module'; const require = __tlsCensusRequire(import.meta.url);" },
  define: { __TLS_CENSUS_BUNDLE__: JSON.stringify({ version, worker: './parse-worker.mjs' }) },
  logLevel: 'warning',
  absWorkingDir: fileURLToPath(root),
};

await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/tls-census.mjs' });
await build({ ...common, entryPoints: ['dist/engine/parse-worker.js'], outfile: 'dist/parse-worker.mjs' });
