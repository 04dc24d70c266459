// Rows of an ad hoc query as an aligned text table, CSV (csv-stringify, formula cells neutralized) or JSON.
// Pure functions of column names and raw rows; blobs are shown as hex, control characters as "?" in tables.
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, neutralize } from './csv.js';
import { clean } from './strings.js';

export type QueryFormat = 'table' | 'csv' | 'json';
export const QUERY_FORMATS: readonly QueryFormat[] = ['table', 'csv', 'json'];

export type Cell = string | number | bigint | Buffer | null;

const MAX_CELL = 80;

function plain(v: Cell): string | number | null {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  return `x'${v.toString('hex')}'`;
}

function table(columns: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((r) => r.map((v) => (v === null ? 'NULL' : clean(String(plain(v)), MAX_CELL))));
  const head = columns.map((c) => clean(c, MAX_CELL));
  const widths = head.map((h, i) => text.reduce((w, r) => Math.max(w, r[i].length), h.length)); // no spread: any row count
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number' || typeof r[i] === 'bigint'));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

/** Same-named columns ("SELECT a.x, b.x") keep all values in JSON: the later ones become "x:2", "x:3". */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const n = (seen.get(c) ?? 0) + 1;
    seen.set(c, n);
    return n === 1 ? c : `${c}:${n}`;
  });
}

export function formatQueryResult(columns: readonly string[], rows: readonly Cell[][], format: QueryFormat): string {
  switch (format) {
    case 'table':
      return table(columns, rows);
    case 'csv': {
      const cells = rows.map((r) => r.map((v) => {
        const p = plain(v);
        return typeof p === 'string' ? neutralize(p) : p;
      }));
      return stringify([columns.map(neutralize), ...cells], CSV_OPTIONS);
    }
    case 'json': {
      const names = uniqueNames(columns);
      return JSON.stringify(rows.map((r) => Object.fromEntries(r.map((v, i) => [names[i], plain(v)]))), null, 2) + '\n';
    }
  }
}
