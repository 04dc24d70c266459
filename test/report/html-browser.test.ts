// The HTML report in real headless Chromium (found by ./find-chromium.ts, never a download), with hostile user
// agents, user names, servers and sites in the data: no script from the data runs, and the page renders.
// No Chromium found: skipped with one line on stderr saying how to enable it; with CI=true that is a failure.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render.js';
import { openDatabase } from '../../src/store/open-database.js';
import { tempDir } from '../helpers.js';
import { ENABLE_HINT, findChromium, requireBrowser } from './find-chromium.js';
import { buildDb, type UsageSpec } from './report-db.js';

const CHROMIUM = findChromium();
const SKIP = !CHROMIUM.found && !requireBrowser();
if (SKIP) process.stderr.write(`html-browser.test.ts skipped: ${CHROMIUM.reason}; to run it, ${ENABLE_HINT}\n`);
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--disable-component-update', '--disable-sync',
];

/** Each payload, if it ever ran, would set window.__pwned or the title, or open a dialog. */
const PAYLOADS = [
  `<script>window.__pwned = 'ua-script'</script>`,
  `"><img src=x onerror="window.__pwned='img'">`,
  `</script><script>window.__pwned = 'close-script'; document.title = 'pwned'</script>`,
  `'-alert(1)-'<svg onload="window.__pwned='svg'">`,
  `<!--<script>window.__pwned = 'comment'</script>`,
  `</textarea></title><iframe srcdoc="<script>parent.__pwned='iframe'</script>">`,
  `\u2028\u2029"}];window.__pwned='json';//`,
];

const ROWS: UsageSpec[] = [
  ...PAYLOADS.map((p, i) => ({
    day: `2024-03-1${i % 3}`,
    server: p,
    site: PAYLOADS[(i + 1) % PAYLOADS.length],
    endpoint: PAYLOADS[(i + 2) % PAYLOADS.length],
    client_ip: `10.6.6.${i}`,
    username: p,
    user_agent: PAYLOADS[(i + 3) % PAYLOADS.length],
    protocol: i % 2 ? 'TLS 1.1' : 'TLS 1.0',
    hits: 10 + i,
  })),
  { day: '2024-03-10', hits: 300 },
  { day: '2024-03-11', hits: 280, protocol: 'TLS 1.3' },
  { day: '2024-03-12', hits: 310 },
];

let file = '';
let profiles = '';
const contexts: BrowserContext[] = [];

/** The browser, or the failure of each test where it is required (CI=true) and missing. */
function chromiumPath(): string {
  if (!CHROMIUM.found) throw new Error(`CI=true needs the browser test: ${CHROMIUM.reason}; ${ENABLE_HINT}`);
  return CHROMIUM.path;
}

async function open(name: string, bypassCSP: boolean) {
  const context = await chromium.launchPersistentContext(join(profiles, `profile-${name}`), {
    executablePath: chromiumPath(), args: ARGS, headless: true, bypassCSP, viewport: { width: 1280, height: 1600 },
  });
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const events = { dialogs: [] as string[], requests: [] as string[], console: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    events.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => events.requests.push(r.url()));
  page.on('console', (m) => events.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => events.errors.push(e.message));
  await page.goto(pathToFileURL(file).href); // waits for "load": the page's scripts are synchronous, all have run
  return { page, events };
}

describe.skipIf(SKIP)('HTML report in headless Chromium', () => {
  // A browser's first start on a fresh machine (fontconfig and profile caches built, Debian's chromium just
  // installed) can take longer than a test's minute; start it once here, with time to spare, and close it.
  beforeAll(async () => {
    if (!CHROMIUM.found) return;
    const warm = await chromium.launch({ executablePath: CHROMIUM.path, args: ARGS, headless: true, timeout: 240_000 });
    await warm.close();
  }, 300_000);

  beforeAll(() => {
    const db = openDatabase(buildDb(ROWS), { readonly: true });
    try {
      const dir = tempDir('tls-census-html-');
      profiles = dir;
      file = join(dir, 'report.html');
      writeFileSync(file, renderReport(db, { format: 'html', filter: {}, db: PAYLOADS[0], color: false }));
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('runs no script from the data even without the Content-Security-Policy, and keeps the text intact', async () => {
    const { page, events } = await open('escaping', true); // the CSP switched off: escaping alone must hold
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
      title: document.title,
      scripts: document.scripts.length,
      foreign: document.querySelectorAll('img, svg, iframe, textarea').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      table: document.getElementById('client-table')?.textContent ?? '',
      verdicts: document.getElementById('verdicts')?.textContent ?? '',
      heading: document.querySelector('p.meta')?.textContent ?? '',
      ready: document.body.getAttribute('data-ready'),
    }));
    expect(state.pwned).toBeNull();
    expect(state.title).toBe('tls-census report');
    expect(state.scripts).toBe(3); // the JSON block, Chart.js, the page script
    expect(state.foreign).toBe(0);
    expect(state.handlers).toEqual([]);
    expect(events.dialogs).toEqual([]);
    expect(events.errors).toEqual([]);
    for (const p of PAYLOADS) {
      const visible = p.replace(/[\u2028\u2029]/g, '');
      expect(state.table.replace(/[\u2028\u2029]/g, '')).toContain(visible); // as user agent and user name
      expect(state.verdicts.replace(/[\u2028\u2029]/g, '')).toContain(visible); // as server and site
    }
    expect(state.heading).toContain(PAYLOADS[0]);
    expect(new Set(events.requests)).toEqual(new Set([pathToFileURL(file).href])); // nothing fetched
    expect(state.ready).toBe('yes'); // the page's own script ran to its end
  });

  it('renders under its own Content-Security-Policy: charts drawn, table sorts and filters, screenshot not blank', async () => {
    const { page, events } = await open('render', false);
    expect(await page.getAttribute('body', 'data-ready')).toBe('yes'); // the CSP hashes let the page's scripts run
    expect(events.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    expect(events.errors).toEqual([]);
    const inked = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const px = (c as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return { id: c.id, n };
      }),
    );
    expect(inked.map((c) => c.id).sort()).toEqual(['daily-chart', 'endpoint-chart', 'site-chart']);
    for (const c of inked) expect(c.n, c.id).toBeGreaterThan(2000);

    await page.click('#client-table th:first-child'); // legacy hits, descending
    const firstHits = await page.evaluate(() => (document.querySelector('#client-table tbody tr td') as HTMLElement).textContent);
    expect(firstHits).toBe(String(10 + PAYLOADS.length - 1));
    await page.fill('#client-filter', '10.6.6.3');
    expect(await page.textContent('#client-count')).toBe(`1 of ${PAYLOADS.length} shown`);

    const shot = (await page.screenshot({ fullPage: false })).toString('base64');
    const nonWhite = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) n++;
      return n / (img.width * img.height);
    }, shot);
    expect(nonWhite).toBeGreaterThan(0.03);
  });
});
