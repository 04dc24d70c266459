// Scenario "exo-scan": `tls-census scan` of a generated Exchange Online SMTP AUTH clients report export
// (200,000 senders, new EAC layout, percentages), then of a newer export of the same period that replaces half of
// them and adds as many new ones (the replace path). It measures and checks the stored sums; it tunes nothing.
import { copyFileSync, existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fmt, hasGnuTime, lcg, loadNote, measure, spread } from '../lib/measure.mjs';
import { removeDb } from '../lib/scan-runs.mjs';

export const description = 'scan a 200,000-sender SMTP AUTH report export, then a newer one replacing half (smoke: 2,000)';

const PERIOD = '2024-03-04..2024-03-10';
const HEADER = 'Sender address,Domain,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent';


/** One sender row: mostly TLS 1.2, a few percent on TLS 1.0/1.1, percentages with one decimal adding up to 100. */
function senderRow(i, rnd) {
  const domain = `tenant${i % 20}.example`;
  const messages = 1 + Math.floor(rnd() ** 3 * 5000);
  const kind = rnd();
  let tls10 = 0;
  let tls11 = 0;
  if (kind < 0.01) tls10 = 100;
  else if (kind < 0.07) tls10 = Math.round(rnd() * 500) / 10;
  else if (kind < 0.1) tls11 = Math.round(rnd() * 300) / 10;
  const tls12 = Math.round((100 - tls10 - tls11) * 10) / 10;
  return `user${i}@${domain},${domain},${tls10}%,${tls11}%,${tls12}%,${messages}`;
}

function generate(path, from, to, seed) {
  const rnd = lcg(seed);
  const lines = [HEADER];
  for (let i = from; i < to; i++) lines.push(senderRow(i, rnd));
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return { path, senders: to - from, bytes: statSync(path).size };
}

export async function run(ctx) {
  const n = ctx.smoke ? 2_000 : 200_000;
  const dir = join(ctx.workDir, `exo-${n}`);
  mkdirSync(dir, { recursive: true });
  // Export A: senders 0..n-1. Export B (newer, same period, other figures): senders n/2..3n/2-1, so half replace A's rows.
  const a = generate(join(dir, 'smtp-auth-A.csv'), 0, n, 1);
  const b = generate(join(dir, 'smtp-auth-B.csv'), n / 2, n + n / 2, 2);
  utimesSync(a.path, new Date('2024-03-11T08:00:00Z'), new Date('2024-03-11T08:00:00Z'));
  utimesSync(b.path, new Date('2024-03-12T08:00:00Z'), new Date('2024-03-12T08:00:00Z'));

  const loadBefore = loadavg()[0];
  const useTime = hasGnuTime();
  const bin = join(ctx.root, 'bin', 'tls-census.js');
  if (!existsSync(join(ctx.root, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const scan = (file, db) => [process.execPath, bin, 'scan', file, '--db', db, '--period', PERIOD, '--quiet'];
  const db = join(ctx.workDir, `exo-scan-${process.pid}.db`);
  const withA = join(ctx.workDir, `exo-scan-${process.pid}-A.db`);

  const first = [];
  for (let i = 1; i <= ctx.runs; i++) {
    removeDb(db);
    first.push(measure(scan(a.path, db), { useTime, cwd: ctx.root }));
    ctx.log(`exo-scan: first import run ${i}/${ctx.runs}: ${fmt.two(first.at(-1).wallS)} s`);
  }
  removeDb(withA);
  measure(scan(a.path, withA), { useTime, cwd: ctx.root }); // the database the replace runs start from
  const replace = [];
  let check = null;
  for (let i = 1; i <= ctx.runs; i++) {
    removeDb(db);
    copyFileSync(withA, db);
    replace.push(measure(scan(b.path, db), { useTime, cwd: ctx.root }));
    ctx.log(`exo-scan: newer export run ${i}/${ctx.runs}: ${fmt.two(replace.at(-1).wallS)} s`);
    if (i === 1) check = verify(db);
  }
  removeDb(db);
  removeDb(withA);

  const lines = [
    '| command | input | runs | wall s, median (min–max) | senders/s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|---|',
    row('scan export A into a fresh database', a, first),
    row('scan newer export B over A (half replace, half new)', b, replace),
    '',
    `- After A then B: ${fmt.int(check.rows)} rows in exo_smtp_auth (expected ${fmt.int(n + n / 2)}), ` +
      `${fmt.int(check.usageRows)} usage rows; per-version counts add up to "Messages sent" in every row: ` +
      `${check.exact ? 'yes' : `NO (${check.mismatches} rows differ)`}; usage hits = exo_smtp_auth messages: ${check.usageMatches ? 'yes' : 'NO'}.`,
    `- Input: new EAC layout, CRLF, ${fmt.one(a.bytes / 1e6)} MB per export; about 10% of senders on TLS 1.0/1.1 by percentage.`,
    '- A fresh database per run (the replace runs start from a copy of one holding export A); warm page cache.',
    loadNote(loadBefore),
  ];
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

function verify(path) {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT count(*) FROM exo_smtp_auth').pluck().get();
    const mismatches = db.prepare('SELECT count(*) FROM exo_smtp_auth WHERE tls10 + tls11 + tls12 + unknown != messages').pluck().get();
    const usageRows = db.prepare(`SELECT count(*) FROM usage WHERE source = 'exo-smtp-auth'`).pluck().get();
    const hits = db.prepare(`SELECT sum(hits) FROM usage WHERE source = 'exo-smtp-auth'`).pluck().get();
    const messages = db.prepare('SELECT sum(messages) FROM exo_smtp_auth').pluck().get();
    return { rows, mismatches, exact: mismatches === 0, usageRows, usageMatches: hits === messages };
  } finally {
    db.close();
  }
}

function row(label, input, samples) {
  const wall = spread(samples.map((s) => Math.max(s.wallS, 0.01)));
  const perS = spread(samples.map((s) => input.senders / Math.max(s.wallS, 0.01)));
  const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
  const what = `${fmt.int(input.senders)} senders, ${fmt.one(input.bytes / 1e6)} MB`;
  return `| ${label} | ${what} | ${samples.length} | ${fmt.spread(wall, fmt.two)} | ${fmt.spread(perS, fmt.int)} | ` +
    `${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`;
}
