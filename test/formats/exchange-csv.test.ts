// CSV lines of Exchange logs: the hand-written split gives exactly csv-parse's values for every line it takes (real
// lines from the fixtures, and generated lines full of quotes, commas and spaces), and leaves the rest to csv-parse.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CsvFields, csvParseLine, exchangeTimeOrderAt, isExchangeTime, lineHash, parseCsvLine, sequenceOf, splitCsvLine,
  TIME_BUCKET,
} from '../../src/formats/exchange-csv.js';
import { createRandom } from '../../src/synth/random.js';
import { exchangeFixture } from './exchange-run.js';

const dataLines = (name: string): string[] =>
  exchangeFixture(`exchange/${name}`).toString('utf8').split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('#'));

const FIXTURES = readdirSync(join(import.meta.dirname, '..', 'fixtures', 'exchange')).sort();

describe('parseCsvLine', () => {
  it('unquotes doubled quotes and quoted commas, keeps leading spaces and the trailing empty value', () => {
    expect(parseCsvLine('a,"b, ""c""", d,')).toEqual(['a', 'b, "c"', ' d', '']);
    const pop = dataLines('crowdsec-exchange-pop-logs.log')[0];
    const v = parseCsvLine(pop);
    expect(Array.isArray(v) && [v.length, v[10], v[11]]).toEqual([
      13, ' PLAIN', 'R="-ERR Authentication failure: unknown user name or bad password.";Msg="AuthFailed:LogonDenied,User: testuser";ErrMsg=AuthFailed:LogonDenied',
    ]);
  });

  it.each(FIXTURES)('%s: every line gives csv-parse\'s values, most without calling it', (name) => {
    const lines = dataLines(name);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map(parseCsvLine)).toEqual(lines.map(csvParseLine));
    const split = lines.filter((l) => splitCsvLine(l) !== null).length;
    expect(split).toBeGreaterThan(lines.length * 0.9);
  });

  it('generated lines of quotes, commas, spaces and CRs: the split agrees with csv-parse wherever it answers', () => {
    const rnd = createRandom(12);
    const parts = ['a', 'bc', ',', ',', '"', '""', ' ', '\r', 'é', '"x, y"', '"q ""z"""'];
    let answered = 0;
    for (let i = 0; i < 20_000; i++) {
      let line = '';
      const n = 1 + rnd.int(12);
      for (let k = 0; k < n; k++) line += rnd.pick(parts);
      const mine = splitCsvLine(line);
      if (mine === null) continue;
      answered++;
      expect([line, mine]).toEqual([line, csvParseLine(line)]);
    }
    expect(answered).toBeGreaterThan(2_000);
  });

  it('an unclosed quote, text after a closing quote or a quote inside a value are left to csv-parse', () => {
    for (const line of ['x,"open,y', 'a,"b"c,d', 'a,b"c,d', '']) {
      expect(splitCsvLine(line)).toBeNull();
      expect(parseCsvLine(line)).toEqual(csvParseLine(line));
    }
    expect(typeof parseCsvLine('x,"open,y')).toBe('string');
  });
});

/**
 * What CsvFields reads of `line` through each of its accessors, and the same reads of parseCsvLine's values. `read`
 * makes `f` read the line (by default as a string of its own).
 */
function fieldReads(f: CsvFields, line: string, read = (): string | null => f.read(line)): { got: unknown[]; want: unknown[] } {
  const values = parseCsvLine(line);
  const bad = read();
  if (typeof values === 'string') return { got: [line, bad], want: [line, values] };
  const got: unknown[] = [line, bad, f.count, f.get(-1)];
  const want: unknown[] = [line, null, values.length, ''];
  for (let i = 0; i < f.count; i++) {
    got.push(f.get(i), f.isEmpty(i), f.isTime(i), f.sequence(i), f.hash(i));
    const v = values[i];
    want.push(v, v === '', isExchangeTime(v), sequenceOf(v), lineHash(v));
  }
  // a run of adjacent values as the line writes them: only when none is quoted, so none holds a comma or quote
  for (let a = 0; a < f.count; a++) {
    for (let b = a; b < Math.min(f.count, a + 3); b++) {
      const span = f.span(a, b);
      const run = values.slice(a, b + 1);
      got.push(span === null || (span === run.join(',') && !run.some((v) => /[",]/.test(v))));
      want.push(true);
      if (!/["\r]/.test(line)) { // split at commas, not left to csv-parse
        got.push(span);
        want.push(run.join(','));
      }
    }
  }
  // session keys of one to three columns (-1: a column the layout lacks), compared with the key and near misses
  const cols = [-1, ...values.keys()];
  for (let k = 0; k < 12; k++) {
    const parts = [cols[k % cols.length], cols[(k * 7 + 1) % cols.length], cols[(k * 5 + 2) % cols.length]].slice(0, 1 + (k % 3));
    const key = parts.map((i) => (i < 0 ? '' : values[i])).join('\u001f');
    got.push(f.join(parts));
    want.push(key);
    for (const other of [key, key + 'x', key.slice(1), key.slice(0, -1), 'x' + key, key.replace(/[^\u001f]$/, '\u0000'), '', '\u001f']) {
      got.push(f.joinIs(parts, other));
      want.push(other === key);
    }
  }
  return { got, want };
}

describe('CsvFields', () => {
  it.each(FIXTURES)('%s: the values, keys and reads of every line are those of parseCsvLine\'s values', (name) => {
    const f = new CsvFields();
    const reads = dataLines(name).map((line) => fieldReads(f, line));
    expect(reads.map((r) => r.got)).toEqual(reads.map((r) => r.want));
  });

  it('generated lines of quotes, commas, spaces, CRs and timestamps: the same values and reads as parseCsvLine', () => {
    const rnd = createRandom(16);
    const parts = [
      'a', 'bc', ',', ',', '"', '""', ' ', '\r', 'é', '"x, y"', '"q ""z"""', '2024-03-11T00:00:00.591Z', '17',
      '"2024-03-11T00:00:00Z"', '"1""2"',
    ];
    const f = new CsvFields();
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      let line = '';
      const n = 1 + rnd.int(14);
      for (let k = 0; k < n; k++) line += rnd.pick(parts);
      lines.push(line);
    }
    const wide = Array.from({ length: 100 }, (_, i) => String(i)).join(',');
    lines.push(wide, `"${wide}"`); // more values than its first arrays hold
    const reads = lines.map((line) => fieldReads(f, line));
    expect(reads.map((r) => r.got)).toEqual(reads.map((r) => r.want));
    expect(reads.filter((r) => r.want[1] === null).length).toBeGreaterThan(2_000);
  });
});

describe('CsvFields.readIn', () => {
  /** Each line of `lines` read where it lies in one region (the lines joined by `eol`), in order. */
  const readInRegion = (f: CsvFields, lines: string[], eol: string): Array<{ got: unknown[]; want: unknown[] }> => {
    const region = lines.join(eol) + eol;
    let start = 0;
    return lines.map((line) => {
      const at = start;
      start += line.length + eol.length;
      return fieldReads(f, line, () => f.readIn(region, at, at + line.length));
    });
  };

  it.each(FIXTURES)('%s: every line read in place in its region reads as the line alone', (name) => {
    const f = new CsvFields();
    const reads = readInRegion(f, dataLines(name), '\r\n');
    expect(reads.map((r) => r.got)).toEqual(reads.map((r) => r.want));
  });

  it('generated lines in one region: quotes, CRs and commas of the lines after a line never count in it', () => {
    const rnd = createRandom(18);
    const parts = ['a', 'bc', ',', ',', '"', '""', ' ', '\r', 'é', '"x, y"', '"q ""z"""', '2024-03-11T00:00:00.591Z', '17'];
    const lines: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      let line = '';
      const n = 1 + rnd.int(10);
      for (let k = 0; k < n; k++) line += rnd.pick(parts);
      // runs of plain lines between the generated ones: the next quote or CR is lines away
      lines.push(...Array.from({ length: rnd.int(4) }, (_, j) => `p${i},${j},x`), line);
    }
    const f = new CsvFields();
    for (const eol of ['\n', '\r\n']) {
      const reads = readInRegion(f, lines, eol);
      expect(reads.map((r) => r.got)).toEqual(reads.map((r) => r.want));
    }
    // then lines of another region, and a line read alone: nothing found in the region before carries over
    const other = readInRegion(f, ['a,"b', 'c",d', 'e,f'], '\n');
    expect(other.map((r) => r.got)).toEqual(other.map((r) => r.want));
    const alone = fieldReads(f, 'x,y');
    expect(alone.got).toEqual(alone.want);
  });
});

describe('isExchangeTime / sequenceOf', () => {
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z$/;
  it('agree with the patterns they stand for, on real timestamps and generated near-misses', () => {
    const rnd = createRandom(15);
    const base = ['2024-03-11T00:00:00.591Z', '2020-04-02T07:57:37Z', '2020-04-02T07:57:37.1234567Z', '2020-04-02 07:57:37Z'];
    const chars = ['0', '9', '-', 'T', ':', '.', 'Z', ' ', 'x', '٣'];
    for (let i = 0; i < 20_000; i++) {
      let t = rnd.pick(base);
      const edits = rnd.int(3);
      for (let k = 0; k < edits; k++) {
        const at = rnd.int(t.length + 1);
        const op = rnd.int(3);
        t = op === 0 ? t.slice(0, at) + rnd.pick(chars) + t.slice(at) : op === 1 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + rnd.pick(chars) + t.slice(at + 1);
      }
      expect([t, isExchangeTime(t)]).toEqual([t, ISO.test(t)]);
    }
    for (const v of ['0', '17', '123456789', '1234567890', '', '-1', '1a', ' 1', '٣']) {
      expect([v, sequenceOf(v)]).toEqual([v, /^\d{1,9}$/.test(v) ? Number(v) : -1]);
    }
  });
});

describe('exchangeTimeOrderAt', () => {
  it('orders usual Exchange times as their texts compare, buckets them by their first 15 characters, NaN for the rest', () => {
    const rnd = createRandom(17);
    const two = (n: number): string => String(n).padStart(2, '0');
    const times: string[] = [];
    for (let i = 0; i < 400; i++) {
      const y = rnd.pick([1969, 1970, 2024, 2025, 2199, 2200]);
      const t = `${y}-${two(rnd.pick([1, 3, 12, 13, 0]))}-${two(rnd.pick([1, 11, 31, 32]))}T${two(rnd.int(25))}:${two(rnd.pick([0, 9, 10, 59]))}:${two(rnd.pick([0, 7, 59]))}`;
      times.push(`${t}.${String(rnd.int(1000)).padStart(3, '0')}Z`, `${t}Z`, `${t}.5Z`, `${t}.1234567Z`);
    }
    times.push('2024-03-11T00:00:00.000Z', '2024-03-11T00:00:00.001Z', '2024-03-11T00:09:59.999Z', '2024-03-11T00:10:00.000Z');
    const order = (t: string): number => exchangeTimeOrderAt(`,${t},`, 1, t.length + 1); // read in place, inside a line
    const usual = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d:\d\d\.\d{3}Z$/;
    for (const t of times) {
      const m = usual.exec(t);
      const plain = m !== null && +m[1] >= 1970 && +m[1] <= 2199 && +m[2] <= 12 && +m[3] <= 31;
      expect([t, Number.isNaN(order(t))]).toEqual([t, !plain]);
    }
    const numbered = times.filter((t) => !Number.isNaN(order(t)));
    for (let i = 0; i < 20_000; i++) {
      const a = rnd.pick(numbered);
      const b = rnd.pick(numbered);
      const oa = order(a);
      const ob = order(b);
      expect([a, b, Math.sign(oa - ob), Math.floor(oa / TIME_BUCKET) === Math.floor(ob / TIME_BUCKET)])
        .toEqual([a, b, a < b ? -1 : a > b ? 1 : 0, a.slice(0, 15) === b.slice(0, 15)]);
    }
    for (const bad of ['', '2024-03-11 00:00:00Z', '2024-03-11T00:00:00.', 'x024-03-11T00:00:00.000Z', '2024-03-11T00:00:00.0a0Z']) {
      expect([bad, order(bad)]).toEqual([bad, -1]);
    }
  });
});
