// Benchmark runner: `node bench/run.mjs [scenario…] [--runs N] [--smoke] [--write]`, one scenario per file in
// bench/scenarios/. It does not build the project (run `npm run build` first) and never records --smoke numbers.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { replaceSection } from './lib/results-file.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const SCENARIOS_DIR = join(BENCH_DIR, 'scenarios');
const RESULTS_FILE = join(BENCH_DIR, 'RESULTS.md');
const USAGE = `usage: node bench/run.mjs [scenario…] [--runs N] [--smoke] [--write] [--list]
  scenario   one or more of the files in bench/scenarios/ (default: all)
  --runs N   measured runs per command (default 5; 1 with --smoke)
  --smoke    tiny inputs, to check that the harness and the CLI work
  --write    replace the scenario's section of bench/RESULTS.md (refused with --smoke)
  --list     list the scenarios
env TLS_CENSUS_BENCH_CMD  command to benchmark instead of "node bin/tls-census.js" (split on spaces)`;

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const available = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const name of available) console.log(`${name}\t${(await loadScenario(name)).description ?? ''}`);
    return 0;
  }
  const unknown = positionals.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown scenario ${unknown.join(', ')}; expect one of ${available.join(', ')}`);
  if (values.write && values.smoke) throw new UsageError('--write with --smoke: smoke numbers are not results');
  const runs = values.runs === undefined ? (values.smoke ? 1 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`Invalid option --runs: expect a positive integer, got "${values.runs}"`);

  const workDir = join(tmpdir(), 'tls-census-bench');
  mkdirSync(workDir, { recursive: true });
  const ctx = { root: ROOT, workDir, runs, smoke: values.smoke, write: values.write, log: (message) => process.stderr.write(`${message}\n`) };
  for (const name of positionals.length > 0 ? positionals : available) {
    const { markdown } = await (await loadScenario(name)).run(ctx);
    const section = `${machineLine()}\n\n${markdown}`;
    console.log(`### ${name}\n\n${section}\n`);
    if (values.write) {
      replaceSection(RESULTS_FILE, name, section);
      ctx.log(`wrote the ${name} section of ${RESULTS_FILE}`);
    }
  }
  return 0;
}

async function loadScenario(name) {
  return import(pathToFileURL(join(SCENARIOS_DIR, `${name}.mjs`)).href);
}

/** Date, Node, CPU, cores, memory, kernel, and which tls-census build was measured. */
function machineLine() {
  const cpu = cpus();
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD').stdout?.trim() || 'unknown commit';
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout?.trim() ? '+uncommitted changes' : '';
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ` +
    `${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${cpu.length} cores · ${Math.round(totalmem() / 2 ** 30)} GiB RAM · ` +
    `${process.platform} ${release()} · tls-census ${version} at ${head}${dirty}`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
