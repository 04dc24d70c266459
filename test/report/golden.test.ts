// Golden reports of the bundled samples/ in every format, compared byte for byte with test/expected/.
// UPDATE_GOLDEN=1 rewrites them; review the diff like code. The inlined Chart.js is replaced by a marker.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import type { FilterSpec } from '../../src/report/filter.js';
import type { ReportFormat } from '../../src/report/formatters.js';
import { chartLibrary } from '../../src/report/html.js';
import { renderReport } from '../../src/report/render.js';
import { openDatabase } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXPECTED = join(ROOT, 'test', 'expected');

let dbPath = '';

beforeAll(async () => {
  dbPath = join(tempDir('tls-census-golden-'), 'samples.db');
  const db = openDatabase(dbPath);
  // Scanned as "samples" from the project folder, so stored paths (and the text cut to 100 columns) do not
  // depend on where the checkout lives.
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await scan(new Store(db), { ...DEFAULT_SCAN, paths: ['samples'], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date() });
  } finally {
    process.chdir(cwd);
    db.close();
  }
});

/** The 200 KB chart library in the HTML (and its CSP hash) out: it changes with the chart.js version. */
function normalise(text: string): string {
  const library = chartLibrary();
  const hash = createHash('sha256').update(library, 'utf8').digest('base64');
  return text.replace(library, '/* Chart.js, inlined at report time */').replace(hash, 'CHART-JS-HASH');
}

function golden(name: string, format: ReportFormat, filter: FilterSpec = {}): string {
  const db = openDatabase(dbPath, { readonly: true });
  let actual: string;
  try {
    actual = normalise(renderReport(db, { format, filter, db: 'tls-census.db', color: false }));
  } finally {
    db.close();
  }
  const path = join(EXPECTED, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${path} missing: run UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
  return actual;
}

describe('golden reports of samples/', () => {
  it('text, at most 100 columns but for the copyable appcmd lines', () => {
    const text = golden('samples-report.txt', 'text');
    for (const line of text.split('\n').filter((l) => !l.trimStart().startsWith('appcmd.exe '))) {
      expect(line.length, line).toBeLessThanOrEqual(100);
    }
  });
  it('text for the last day on one server', () => golden('samples-report-exch02-last-day.txt', 'text', { days: 1, servers: ['EXCH02'] }));
  it('markdown', () => golden('samples-report.md', 'markdown'));
  it('json', () => golden('samples-report.json', 'json'));
  it('csv', () => golden('samples-report.csv', 'csv'));
  it('html', () => golden('samples-report.html', 'html'));
});
