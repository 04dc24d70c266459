// CSV lines of Exchange logs: a block parsed in one csv-parse call gives exactly what each line parsed alone gives,
// and a bad line (unclosed quote) anywhere in a block costs only that line. Real lines come from the fixtures.
import { describe, expect, it } from 'vitest';
import { CSV_BLOCK_LINES, CsvBlock, parseCsvLine, parseCsvLines } from '../../src/formats/exchange-csv.js';
import { exchangeFixture } from './exchange-run.js';

const dataLines = (name: string): string[] =>
  exchangeFixture(`exchange/${name}`).toString('utf8').split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('#'));

describe('parseCsvLine / parseCsvLines', () => {
  it('unquotes doubled quotes and quoted commas, keeps leading spaces and the trailing empty value', () => {
    expect(parseCsvLine('a,"b, ""c""", d,')).toEqual(['a', 'b, "c"', ' d', '']);
    const pop = dataLines('crowdsec-exchange-pop-logs.log')[0];
    const v = parseCsvLine(pop);
    expect(Array.isArray(v) && [v.length, v[10], v[11]]).toEqual([
      13, ' PLAIN', 'R="-ERR Authentication failure: unknown user name or bad password.";Msg="AuthFailed:LogonDenied,User: testuser";ErrMsg=AuthFailed:LogonDenied',
    ]);
  });

  it.each(['ipban-smtp_auth_unsuccessful.log', 'artefacts-RECV2023011116-1.LOG', 'ipban-smtp_auth_successful.log'])(
    '%s: one block gives the values of each line parsed alone',
    (name) => {
      const lines = dataLines(name);
      expect(parseCsvLines(lines)).toEqual(lines.map(parseCsvLine));
    },
  );

  it('an unclosed quote in the middle or at the end of a block costs that line only', () => {
    const good = ['a,b,c', 'd,"e,f",g', 'h,i,j'];
    const middle = [good[0], 'x,"open,y', ...good.slice(1)];
    const r = parseCsvLines(middle);
    expect(r.filter((v) => typeof v === 'string')).toHaveLength(1);
    expect(r.filter((v) => typeof v !== 'string')).toEqual(good.map(parseCsvLine));
    const end = parseCsvLines([...good, 'x,"open']);
    expect(end.slice(0, 3)).toEqual(good.map(parseCsvLine));
    expect(typeof end[3]).toBe('string');
  });

  it('CsvBlock hands every line on, in order, in blocks and when flushed', () => {
    const seen: number[] = [];
    const block = new CsvBlock((v, _text, lineNo) => {
      expect(Array.isArray(v)).toBe(true);
      seen.push(lineNo);
    });
    const n = CSV_BLOCK_LINES + 10;
    for (let i = 1; i <= n; i++) block.add(`${i},x`, i);
    expect(seen).toHaveLength(CSV_BLOCK_LINES);
    block.flush();
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });
});
