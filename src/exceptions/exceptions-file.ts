// Reads an --exceptions FILE: CSV with the header "match,value,expires,reason" (any column order, "#" comments),
// e.g. `ip,10.1.2.3,2024-06-30,Old badge reader: replacement ordered`. A bad row stops with FILE:LINE.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CensusError } from '../errors.js';
import { checkException, type KnownException } from './exceptions.js';

const COLUMNS = ['match', 'value', 'expires', 'reason'] as const;

export function readExceptionsFile(path: string): KnownException[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CensusError('SOURCE_NOT_FOUND', `cannot read --exceptions ${path}: ${(err as Error).message}`);
  }
  let records: { record: string[]; line: number }[];
  try {
    records = (parse(text.replace(/^\uFEFF/, ''), {
      comment: '#', skip_empty_lines: true, relax_column_count: true, trim: true, info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]).map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    throw new CensusError('USAGE', `Invalid --exceptions ${path}: ${(err as Error).message}`);
  }
  const header = records.shift();
  const names = (header?.record ?? []).map((h) => h.toLowerCase());
  const at = COLUMNS.map((c) => names.indexOf(c));
  if (at.some((i) => i < 0)) {
    throw new CensusError('USAGE', `Invalid --exceptions ${path}: expect a header row "${COLUMNS.join(',')}", ` +
      `got ${JSON.stringify((header?.record ?? []).join(','))}`);
  }
  return records.map(({ record, line }) => {
    const cell = (i: number): string => record[at[i]] ?? '';
    const origin = `${path}:${line}`;
    const fields = checkException(origin, { match: cell(0), value: cell(1), expires: cell(2), reason: cell(3) });
    return { id: null, ...fields, origin };
  });
}
