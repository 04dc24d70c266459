// CSV lines of Exchange logs: the hand-written split gives exactly csv-parse's values for every line it takes (real
// lines from the fixtures, and generated lines full of quotes, commas and spaces), and leaves the rest to csv-parse.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvParseLine, isExchangeTime, parseCsvLine, sequenceOf, splitCsvLine } from '../../src/formats/exchange-csv.js';
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
