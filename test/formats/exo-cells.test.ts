// Cell formats of Exchange Online exports and the largest-remainder split: every documented and expected cell
// spelling, and counts that add up to the total exactly whatever the percentages.
import { describe, expect, it } from 'vitest';
import { allocate, largestRemainder, parseCount, parseDecimal, parseTlsCell, type TlsCell } from '../../src/formats/exo-cells.js';

const p = (pct: number): TlsCell => ({ pct, count: null, percentSign: true });

describe('parseCount', () => {
  it.each([
    ['1184', 1184],
    [' 412 ', 412],
    ['1,184', 1184],
    ['1.184', 1184],
    ['1 184', 1184],
    ['1\u00a0184', 1184],
    ["1'184'000", 1184000],
    ['1184.0', 1184],
    ['0', 0],
  ])('%j → %d', (text, n) => expect(parseCount(text)).toBe(n));

  it.each(['', '12,5', '1,18', '-3', 'lots', '1,184.5', '99999999999999999999'])('%j is not a count', (text) => {
    expect(parseCount(text)).toBeNull();
  });
});

describe('parseDecimal', () => {
  it.each([
    ['12.5', 12.5],
    ['12,5', 12.5],
    ['.5', 0.5],
    ['100', 100],
    ['1,234.5', 1234.5],
    ['1.234,5', 1234.5],
  ])('%j → %d', (text, n) => expect(parseDecimal(text)).toBe(n));

  it.each(['', '12.5.3', 'abc', '1,2,3'])('%j is not a decimal', (text) => expect(parseDecimal(text)).toBeNull());
});

describe('parseTlsCell', () => {
  it.each([
    ['45%', 'percent', { pct: 45, count: null, percentSign: true }],
    ['12.5 %', 'percent', { pct: 12.5, count: null, percentSign: true }],
    ['12,5%', 'percent', { pct: 12.5, count: null, percentSign: true }],
    ['45% (12)', 'percent', { pct: 45, count: 12, percentSign: true }],
    ['45 % ( 12 )', 'percent', { pct: 45, count: 12, percentSign: true }],
    ['12 (45%)', 'percent', { pct: 45, count: 12, percentSign: true }],
    ['45', 'percent', { pct: 45, count: null, percentSign: false }],
    ['45', 'count', { pct: null, count: 45, percentSign: false }],
    ['2,5 %', 'count', { pct: 2.5, count: null, percentSign: true }],
    ['1,200', 'count', { pct: null, count: 1200, percentSign: false }],
    ['', 'percent', { pct: null, count: 0, percentSign: false }],
    ['-', 'count', { pct: null, count: 0, percentSign: false }],
  ] as const)('%j read as %s', (text, bare, cell) => expect(parseTlsCell(text, bare)).toEqual(cell));

  it.each(['high', 'n/a', '101%', '45% (many)', '45% (12', '%', '12,5,1%'])('%j is not a TLS cell', (text) => {
    expect(parseTlsCell(text, 'percent')).toBeNull();
  });
});

describe('largestRemainder', () => {
  it('gives the leftover units to the largest remainders, ties to the earlier', () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(7, [50, 30, 20])).toEqual([4, 2, 1]); // 3.5, 2.1, 1.4
    expect(largestRemainder(1184, [12.5, 0, 87.5])).toEqual([148, 0, 1036]);
    expect(largestRemainder(0, [1, 2])).toEqual([0, 0]);
    expect(largestRemainder(5, [0, 0])).toEqual([0, 0]);
  });

  it('always adds up exactly (2,000 pseudo-random cases)', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rnd() * 100_000);
      const weights = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => Math.round(rnd() * 10_000) / 100);
      const parts = largestRemainder(n, weights);
      if (weights.some((w) => w > 0)) expect(parts.reduce((a, b) => a + b, 0)).toBe(n);
      parts.forEach((v, k) => {
        expect(v).toBeGreaterThanOrEqual(0);
        if (weights[k] === 0) expect(v).toBe(0);
      });
    }
  });
});

describe('allocate', () => {
  it('percentages of a total: estimated, rounded to add up', () => {
    expect(allocate(1184, [p(12.5), p(0), p(87.5)])).toEqual({ counts: [148, 0, 1036], unknown: 0, estimated: true, problem: null });
    expect(allocate(10, [p(33.33), p(33.33), p(33.33)])).toEqual({ counts: [4, 3, 3], unknown: 0, estimated: true, problem: null });
  });

  it('a percentage above 0 stands for at least one message', () => {
    // 0.04% of 1000 is 0.4: rounding alone would hide the TLS 1.0 sender.
    expect(allocate(1000, [p(0.04), p(0), p(99.96)]).counts).toEqual([1, 0, 999]);
  });

  it('counts in the cells are used as they are, not estimated', () => {
    const cells = [parseTlsCell('44% (12)', 'percent'), parseTlsCell('0% (0)', 'percent'), parseTlsCell('56% (15)', 'percent')];
    expect(allocate(27, cells as TlsCell[])).toEqual({ counts: [12, 0, 15], unknown: 0, estimated: false, problem: null });
  });

  it('mixed cells: counts fixed, percentage-only cells share the rest', () => {
    const cells = [parseTlsCell('0%', 'percent'), parseTlsCell('25% (3)', 'percent'), parseTlsCell('75% (9)', 'percent')];
    expect(allocate(12, cells as TlsCell[])).toEqual({ counts: [0, 3, 9], unknown: 0, estimated: false, problem: null });
    const partly = [p(50), { pct: 50, count: 4, percentSign: true }];
    expect(allocate(10, partly)).toEqual({ counts: [6, 4], unknown: 0, estimated: true, problem: null });
  });

  it('percentages clearly short of 100% leave the rest unknown; within rounding of 100% they fill the total', () => {
    expect(allocate(100, [p(10), p(0), p(60)])).toEqual({ counts: [10, 0, 60], unknown: 30, estimated: true, problem: null });
    expect(allocate(100, [p(33), p(33), p(33)])).toEqual({ counts: [34, 33, 33], unknown: 0, estimated: true, problem: null });
    expect(allocate(5, [p(0), p(0), p(0)])).toEqual({ counts: [0, 0, 0], unknown: 5, estimated: true, problem: null });
  });

  it('fractions (0.125 for 12.5%) are recognised when a row adds up to 1', () => {
    const frac = (v: number): TlsCell => ({ pct: v, count: null, percentSign: false });
    expect(allocate(1184, [frac(0.125), frac(0), frac(0.875)]).counts).toEqual([148, 0, 1036]);
  });

  it('says when the cells do not fit the total, and still adds up', () => {
    const over = allocate(10, [{ pct: null, count: 8, percentSign: false }, { pct: null, count: 5, percentSign: false }]);
    expect(over.problem).toBe('TLS counts add up to 13, more than the total 10');
    expect(over.counts).toEqual([8, 5]);
    const pcts = allocate(10, [p(80), p(80)]);
    expect(pcts.problem).toBe('percentages add up to 160%');
    expect(pcts.counts.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('counts always add up to the total (random rows of percentages)', () => {
    let seed = 11;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const total = Math.floor(rnd() * 5000);
      const raw = Array.from({ length: 3 + Math.floor(rnd() * 2) }, () => rnd());
      const sum = raw.reduce((a, b) => a + b, 0);
      const cells = raw.map((r) => p(Math.round((r / sum) * 1000) / 10)); // shown to one decimal, as the EAC does
      const a = allocate(total, cells);
      expect(a.counts.reduce((x, y) => x + y, 0) + a.unknown).toBe(total);
      a.counts.forEach((c, k) => {
        if ((cells[k].pct ?? 0) > 0 && total >= cells.length) expect(c).toBeGreaterThan(0);
      });
    }
  });
});
