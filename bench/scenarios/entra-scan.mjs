// Scenario "entra-scan": `tls-census scan` of a generated Entra ID sign-in export of about 1 GB, as the admin
// center's "Download JSON" writes it (one pretty-printed array of Graph beta signIn objects), then of the same
// sign-ins again as NDJSON (a second export of the same days: every sign-in a duplicate). Sign-ins per second and
// peak RSS; the stored counts are checked. It measures; it tunes nothing.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fmt, hasGnuTime, lcg, loadNote, measure, spread } from '../lib/measure.mjs';
import { removeDb } from '../lib/scan-runs.mjs';

export const description = 'scan a ~1 GB Entra ID sign-in JSON export, then the same sign-ins again as NDJSON (smoke: ~2 MB)';


const hex = (n, width) => n.toString(16).padStart(width, '0');
const guid = (i, salt) => `${hex(salt, 8)}-${hex((i >>> 16) & 0xffff, 4)}-4${hex(i & 0xfff, 3)}-8${hex((i >>> 4) & 0xfff, 3)}-${hex(i, 12)}`;
const APPS = [
  ['Office 365 Exchange Online', 'Exchange ActiveSync'], ['Office 365 Exchange Online', 'Authenticated SMTP'],
  ['Office 365 Exchange Online', 'IMAP4'], ['Microsoft Teams', 'Mobile Apps and Desktop clients'],
  ['Office 365 SharePoint Online', 'Browser'], ['Microsoft Office', 'Mobile Apps and Desktop clients'],
];
const AGENTS = ['BAV2ROPC', '', 'Apple-iPhone9C4/1602.92', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)'];

/** One Graph beta signIn: 2,000 users over 20 days, about 3% flagged legacy, 2% failed, half non-interactive. */
function signIn(i, rnd) {
  const user = Math.floor(rnd() * 2000);
  const [app, clientApp] = APPS[Math.floor(rnd() * APPS.length)];
  const legacy = rnd() < 0.03;
  const failed = rnd() < 0.02;
  const interactive = rnd() < 0.5;
  const t = Date.UTC(2026, 9, 21) + Math.floor((i / 25_000) * 3_600_000) % (20 * 86_400_000);
  return {
    id: guid(i, 0x5e1f),
    createdDateTime: new Date(t).toISOString().replace('.000Z', 'Z'),
    userDisplayName: `User ${user}`,
    userPrincipalName: `user${user}@contoso.com`,
    userId: guid(user, 0xaaaa),
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: app,
    ipAddress: `198.51.${user % 200}.${(user * 7) % 250}`,
    clientAppUsed: clientApp,
    userAgent: AGENTS[user % AGENTS.length],
    correlationId: guid(i, 0xc0c0),
    conditionalAccessStatus: 'notApplied',
    isInteractive: interactive,
    resourceDisplayName: app,
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    resourceTenantId: '11111111-2222-3333-4444-555555555555',
    homeTenantId: '11111111-2222-3333-4444-555555555555',
    signInEventTypes: [interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    status: { errorCode: failed ? 50126 : 0, failureReason: failed ? 'Invalid username or password.' : 'Other.', additionalDetails: null },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: user % 3 === 0 ? 'Windows 7' : 'Windows10', browser: '', isCompliant: false, isManaged: false, trustType: '' },
    location: { city: 'Zurich', state: 'Zurich', countryOrRegion: 'CH', geoCoordinates: { altitude: null, latitude: 47.37, longitude: 8.54 } },
    authenticationProcessingDetails: [
      { key: 'Root Key Type', value: 'Unknown' },
      { key: 'Oauth Scope Info', value: '["EWS.AccessAsUser.All","offline_access"]' },
      ...(legacy ? [{ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'True' }] : []),
    ],
    authenticationDetails: [{ authenticationStepDateTime: new Date(t).toISOString(), authenticationMethod: 'Password', succeeded: !failed }],
  };
}

/** Writes the array (pretty-printed like the portal) and the NDJSON copy, a chunk at a time. */
async function generate(dir, targetBytes) {
  const json = join(dir, 'InteractiveSignIns.json');
  const ndjson = join(dir, 'signins.ndjson');
  if (existsSync(json) && existsSync(ndjson) && statSync(json).size >= targetBytes) {
    const n = Number(statSync(ndjson).size > 0 ? await countLines(ndjson) : 0);
    return { json, ndjson, signIns: n, legacy: null, bytes: statSync(json).size, ndBytes: statSync(ndjson).size };
  }
  const rnd = lcg(7);
  const a = createWriteStream(json);
  const b = createWriteStream(ndjson);
  const write = (s, text) => (s.write(text) ? Promise.resolve() : new Promise((res) => s.once('drain', res)));
  let bytes = 0;
  let n = 0;
  await write(a, '[\n');
  while (bytes < targetBytes) {
    const parts = [];
    const lines = [];
    for (let k = 0; k < 500; k++, n++) {
      const s = signIn(n, rnd);
      parts.push((n === 0 ? '' : ',\n') + JSON.stringify(s, null, 2));
      lines.push(JSON.stringify(s));
    }
    const text = parts.join('');
    bytes += Buffer.byteLength(text);
    await write(a, text);
    await write(b, lines.join('\n') + '\n');
  }
  await write(a, '\n]\n');
  await Promise.all([new Promise((res) => a.end(res)), new Promise((res) => b.end(res))]);
  return { json, ndjson, signIns: n, bytes: statSync(json).size, ndBytes: statSync(ndjson).size };
}

async function countLines(path) {
  const { createReadStream } = await import('node:fs');
  let n = 0;
  for await (const chunk of createReadStream(path)) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

export async function run(ctx) {
  const target = ctx.smoke ? 2e6 : 1e9;
  const dir = join(ctx.workDir, `entra-${target}`);
  mkdirSync(dir, { recursive: true });
  ctx.log(`entra-scan: generating ${fmt.int(target / 1e6)} MB of sign-ins in ${dir} (kept for later runs)`);
  const input = await generate(dir, target);
  const loadBefore = loadavg()[0];
  const useTime = hasGnuTime();
  const bin = join(ctx.root, 'bin', 'tls-census.js');
  if (!existsSync(join(ctx.root, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const db = join(ctx.workDir, `entra-scan-${process.pid}.db`);
  const scan = (file) => [process.execPath, bin, 'scan', file, '--db', db, '--tenant', 'contoso', '--quiet'];
  const first = [];
  const again = [];
  let check = null;
  for (let i = 1; i <= ctx.runs; i++) {
    removeDb(db);
    first.push(measure(scan(input.json), { useTime, cwd: ctx.root }));
    ctx.log(`entra-scan: JSON export run ${i}/${ctx.runs}: ${fmt.two(first.at(-1).wallS)} s`);
    again.push(measure(scan(input.ndjson), { useTime, cwd: ctx.root }));
    ctx.log(`entra-scan: the same sign-ins as NDJSON, run ${i}/${ctx.runs}: ${fmt.two(again.at(-1).wallS)} s`);
    if (i === 1) check = verify(db);
  }
  removeDb(db);
  const lines = [
    '| command | input | runs | wall s, median (min–max) | sign-ins/s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|---|',
    row('scan the JSON array into a fresh database', input.signIns, input.bytes, first),
    row('scan the same sign-ins as NDJSON (all duplicates)', input.signIns, input.ndBytes, again),
    '',
    `- Stored: ${fmt.int(check.hits)} sign-ins (expected ${fmt.int(input.signIns)}: each once, the NDJSON copy added ` +
      `${check.hits === input.signIns ? 'nothing' : 'SOMETHING'}), ${fmt.int(check.ids)} ids in entra_signins, ` +
      `${fmt.int(check.legacy)} flagged legacy, ${fmt.int(check.rows)} usage rows.`,
    `- Input: one pretty-printed JSON array of Graph beta signIn objects (${fmt.one(input.bytes / input.signIns)} bytes each), ` +
      `2,000 users over 20 days; the NDJSON copy holds the same objects one per line.`,
    '- A fresh database per run; warm page cache.',
    loadNote(loadBefore),
  ];
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

function verify(path) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      hits: db.prepare(`SELECT sum(hits) FROM usage WHERE source = 'entra-signin'`).pluck().get(),
      legacy: db.prepare(`SELECT sum(hits) FROM usage WHERE protocol = 'TLS 1.0/1.1 or 3DES'`).pluck().get(),
      rows: db.prepare(`SELECT count(*) FROM usage`).pluck().get(),
      ids: db.prepare(`SELECT count(*) FROM entra_signins`).pluck().get(),
    };
  } finally {
    db.close();
  }
}

function row(label, signIns, bytes, samples) {
  const wall = spread(samples.map((s) => Math.max(s.wallS, 0.01)));
  const perS = spread(samples.map((s) => signIns / Math.max(s.wallS, 0.01)));
  const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
  const what = `${fmt.int(signIns)} sign-ins, ${fmt.one(bytes / 1e6)} MB`;
  return `| ${label} | ${what} | ${samples.length} | ${fmt.spread(wall, fmt.two)} | ${fmt.spread(perS, fmt.int)} | ` +
    `${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`;
}
