// The package as npm ships it: `npm pack` of a copy of the sources (its `prepare` script builds dist/), the tarball
// installed globally into an empty prefix, and the installed tls-census run from there: --version, a scan of
// samples/ whose CSV report is the golden one, a file big enough for the parse workers, an HTML report (Chart.js
// found next to the installed package).
// Offline-safe and fast: dependencies come from npm's cache where it has them (--prefer-offline), and
// better-sqlite3's own install script (prebuild-install) finds its native module as a local prebuild made from
// this checkout's build instead of downloading one or compiling for a minute or two; if that prebuild did not fit,
// it would still compile, only slower.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const WIN = process.platform === 'win32';
/** What `npm pack` needs to build and pack (package.json's "files" and the build's inputs). */
const SOURCES = ['package.json', 'README.md', 'docs', 'LICENSE', 'bin', 'src', 'scripts', 'tsconfig.json', 'tsconfig.build.json'];

/** npm's own CLI script, run with this Node (the one the suite runs on, also for install scripts via PATH). */
function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm !== undefined && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  const nodeDir = dirname(process.execPath);
  const candidates = [join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js'), join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new Error(`npm not found next to ${process.execPath}`);
  return found;
}

/** The environment without the npm settings of the `npm test` around us (its prefix, package, lifecycle). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_nodedir', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k)) env[k] = v;
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = `${dirname(process.execPath)}${WIN ? ';' : ':'}${env[pathKey] ?? ''}`;
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  expect(r.status, `${what} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A .tar.gz of one file, as tar writes it (ustar), so no tar program is needed (Windows' may read C:\ as a host). */
function tarGz(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (text: string, offset: number, length: number): void => void header.write(text, offset, length, 'utf8');
  field(name, 0, 100);
  field('0000755\0', 100, 8);
  field('0000000\0', 108, 8);
  field('0000000\0', 116, 8);
  field(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  field(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 12);
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar\0', 257, 6);
  field('00', 263, 2);
  const sum = header.reduce((a, b) => a + b, 0);
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, data, padding, Buffer.alloc(1024)]));
}

/** better-sqlite3's native module as the prebuild tarball prebuild-install looks for (name from its URL template). */
function localPrebuild(dir: string): void {
  const sqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const entry = 'build/Release/better_sqlite3.node';
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), tarGz(entry, readFileSync(join(sqlite, entry))));
}

let bin = '';
let work = '';
let env: NodeJS.ProcessEnv = {};
let files: string[] = [];

/**
 * The installed command, run in the checkout so that `samples` is the bundled folder: npm's shim in the prefix's
 * bin/, on Windows the launcher the .cmd shim starts (a .cmd needs a shell, which would re-split the arguments).
 */
const tlsCensus = (args: string[]): SpawnSyncReturns<string> =>
  WIN ? run(process.execPath, [bin, ...args], ROOT, env) : run(bin, args, ROOT, env);

beforeAll(() => {
  work = tempDir('tls-census-pack-');
  const project = join(work, 'project');
  for (const s of SOURCES) cpSync(join(ROOT, s), join(project, s), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), WIN ? 'junction' : 'dir');
  env = cleanEnv({ npm_config_better_sqlite3_local_prebuilds: join(work, 'prebuilds') });
  localPrebuild(join(work, 'prebuilds'));

  const npm = npmCli();
  const packed = ok(run(process.execPath, [npm, 'pack', '--json', '--pack-destination', work], project, env), 'npm pack');
  const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  files = info.files.map((f) => f.path).sort();
  const prefix = join(work, 'prefix');
  mkdirSync(prefix);
  ok(run(process.execPath, [npm, 'install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund',
    '--allow-scripts=better-sqlite3', join(work, info.filename)], work, env), 'npm install -g of the tarball');
  if (WIN) expect(existsSync(join(prefix, 'tls-census.cmd'))).toBe(true);
  bin = WIN ? join(prefix, 'node_modules', 'tls-census', 'bin', 'tls-census.js') : join(prefix, 'bin', 'tls-census');
}, 300_000);

describe('the packed package, installed from its tarball into an empty prefix', () => {
  it('ships the bundles, the launcher, README, the docs it links to and the licence, and no sources or tests', () => {
    const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
    expect(docs).toContain('docs/schema.md');
    expect(files).toEqual(['LICENSE', 'README.md', 'bin/tls-census.js', 'dist/parse-worker.mjs', 'dist/tls-census.mjs', ...docs, 'package.json'].sort());
  });

  it('holds every page README.md links to, so the links work in an installed copy', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = [...new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]))];
    expect(linked).toContain('docs/schema.md');
    for (const page of linked) expect(files, page).toContain(page);
  });

  it('prints its version', () => {
    const r = tlsCensus(['--version']);
    expect(r.stderr).toBe('');
    expect(ok(r, '--version').trim()).toBe(PKG.version);
  });

  it('scans samples/ into a database whose CSV report is the golden one', () => {
    const db = join(work, 'samples.db');
    ok(tlsCensus(['scan', 'samples', '--db', db, '--quiet']), 'scan');
    const csv = ok(tlsCensus(['report', '--db', db, '--format', 'csv']), 'report');
    expect(csv).toBe(readFileSync(join(ROOT, 'test', 'expected', 'samples-report.csv'), 'utf8'));
    const html = ok(tlsCensus(['report', '--db', db, '--format', 'html']), 'html report');
    expect(html).toMatch(/Chart\.js v\d/); // the library read from the installed chart.js
  });

  it('parses a file of 4 MiB or more on the parse workers, with the same result as in the main thread', () => {
    const sample = readFileSync(join(ROOT, 'samples', 'EXCH01', 'W3SVC1', 'u_ex240311_x.log'));
    const big = join(work, 'EXCH09', 'W3SVC1');
    mkdirSync(big, { recursive: true });
    const copies = Math.ceil((4.5 * 2 ** 20) / sample.length);
    writeFileSync(join(big, 'u_ex240311_x.log'), Buffer.concat(Array.from({ length: copies }, () => sample)));
    const reports = ['2', '1'].map((jobs) => {
      const db = join(work, `big-${jobs}.db`);
      ok(tlsCensus(['scan', big, '--db', db, '--quiet', '--jobs', jobs]), `scan --jobs ${jobs}`);
      return ok(tlsCensus(['report', '--db', db, '--format', 'csv']), 'report');
    });
    expect(reports[0].split('\n').length).toBeGreaterThan(2);
    expect(reports[0]).toBe(reports[1]);
  });
});

describe('the launcher without its build', () => {
  it('prints one line saying what to run and exits 2, no stack trace', () => {
    const root = join(tempDir('tls-census-unbuilt-'), 'tls-census');
    cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    const r = run(process.execPath, [join(root, 'bin', 'tls-census.js'), 'scan', 'samples'], root, process.env);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`tls-census: not built yet (no dist/tls-census.mjs): run "npm run build" in ${root}\n`);
  });
});
