// Cells of Exchange Online report exports: counts ("1,184"), percentages ("45%", "12,5 %", "45% (12)"), and the
// largest-remainder split of a total by percentages, so that derived counts add up to the total exactly.
// Pure functions of strings and numbers; nothing here knows columns or files.

/** One TLS cell: a percentage, a count, or both ("45% (12)"). An empty cell is a count of 0. */
export interface TlsCell {
  readonly pct: number | null;
  readonly count: number | null;
  /** The cell showed a "%" sign. */
  readonly percentSign: boolean;
}

/** How a bare number ("45") in a TLS column reads: SMTP AUTH columns hold percentages, connector columns counts. */
export type BareNumber = 'percent' | 'count';

const GROUPED = /^\d{1,3}([,. \u00a0\u202f'])\d{3}(?:\1\d{3})*$/;

/** A whole message count: "1184", "1,184", "1.184", "1 184", "1184.0"; null when it is not one. */
export function parseCount(text: string): number | null {
  const t = text.trim();
  let n: number;
  if (/^\d+$/.test(t)) n = Number(t);
  else if (GROUPED.test(t)) n = Number(t.replace(/[^\d]/g, ''));
  else if (/^\d+[.,]0+$/.test(t)) n = Number(t.replace(/[.,]0+$/, ''));
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}

/** A decimal with "." or "," as the decimal mark ("12.5", "12,5", "1,234.5", "1.234,5"); null otherwise. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d*[.,]?\d+$/.test(t)) return Number(t.replace(',', '.'));
  if (/^\d{1,3}(,\d{3})+\.\d+$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^\d{1,3}(\.\d{3})+,\d+$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  return null;
}

const EMPTY = /^(?:|-|–|—|n\/?a)$/i;

/**
 * A TLS cell, or null when it is not one. Accepts "45%", "12.5 %", "12,5%", "45% (12)", "12 (45%)", a bare number
 * (read as `bare` says) and an empty cell or "-" (0 messages). Percentages above 100 are rejected.
 */
export function parseTlsCell(text: string, bare: BareNumber): TlsCell | null {
  const t = text.trim();
  if (EMPTY.test(t)) return t === '' || t === '-' ? { pct: null, count: 0, percentSign: false } : null;
  let main = t;
  let inner: string | null = null;
  const paren = /^(.*?)\s*\(\s*(.*?)\s*\)$/.exec(t);
  if (paren) {
    main = paren[1];
    inner = paren[2];
  }
  const mainPct = main.endsWith('%');
  if (mainPct) main = main.slice(0, -1);
  let pct: number | null = null;
  let count: number | null = null;
  let percentSign = mainPct;
  if (inner !== null) {
    if (inner.endsWith('%') && !mainPct) {
      count = parseCount(main); // "12 (45%)"
      pct = parseDecimal(inner.slice(0, -1));
      percentSign = true;
    } else {
      pct = parseDecimal(main); // "45% (12)"
      count = parseCount(inner);
    }
    if (pct === null || count === null) return null;
  } else if (mainPct || bare === 'percent') {
    pct = parseDecimal(main);
    if (pct === null) return null;
  } else {
    count = parseCount(main);
    if (count === null) return null;
  }
  if (pct !== null && !(pct >= 0 && pct <= 100)) return null;
  return { pct, count, percentSign };
}

/**
 * Splits the whole number `n` by weights: each share rounded down, then one more to the largest remainders
 * (ties: the earlier weight). The parts add up to `n` exactly. All zero when `n` is 0 or no weight is positive.
 */
export function largestRemainder(n: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + (w > 0 ? w : 0), 0);
  if (n <= 0 || sum <= 0) return weights.map(() => 0);
  const quotas = weights.map((w) => (w > 0 ? (w * n) / sum : 0));
  const out = quotas.map((q) => Math.floor(q + 1e-9)); // 12.5% of 1184 is 148, not 147.99999
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((_, i) => i)
    .filter((i) => weights[i] > 0)
    .sort((a, b) => quotas[b] - out[b] - (quotas[a] - out[a]) || a - b);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]]++;
  return out;
}

export interface Allocation {
  /** Messages per cell, in cell order. */
  readonly counts: readonly number[];
  /** Messages of the total in no cell (percentages short of 100%, or counts short of the total). */
  readonly unknown: number;
  /** Some count was derived from a percentage. */
  readonly estimated: boolean;
  /** Why the cells do not fit the total, when they do not (the counts are still usable). */
  readonly problem: string | null;
}

/** Rows written as fractions ("0.125" for 12.5%): no "%" anywhere, no counts, and the values add up to 1. */
function asFractions(cells: readonly TlsCell[]): readonly TlsCell[] {
  if (cells.some((c) => c.percentSign || c.pct === null)) return cells;
  const sum = cells.reduce((a, c) => a + (c.pct ?? 0), 0);
  if (Math.abs(sum - 1) > 0.02) return cells;
  return cells.map((c) => ({ ...c, pct: (c.pct ?? 0) * 100 }));
}

/**
 * Messages per cell for a row with `total` messages. Counts are taken as given; percentage-only cells share what
 * the counts leave, in proportion, by largest remainder. Percentages within rounding of 100% are scaled to fill the
 * total; percentages clearly short of 100% leave the rest as `unknown`. A percentage above 0 never yields 0
 * messages while the total allows (it stands for at least one message).
 */
export function allocate(total: number, input: readonly TlsCell[]): Allocation {
  const cells = asFractions(input);
  const sumKnown = cells.reduce((a, c) => a + (c.count ?? 0), 0);
  const pctOnly = cells.flatMap((c, i) => (c.count === null ? [i] : []));
  const counts = cells.map((c) => c.count ?? 0);
  if (pctOnly.length === 0) {
    if (sumKnown > total) {
      return { counts, unknown: 0, estimated: false, problem: `TLS counts add up to ${sumKnown}, more than the total ${total}` };
    }
    return { counts, unknown: total - sumKnown, estimated: false, problem: null };
  }
  let problem: string | null = null;
  let rest = total - sumKnown;
  if (rest < 0) {
    problem = `TLS counts add up to ${sumKnown}, more than the total ${total}`;
    rest = 0;
  }
  const withPct = cells.filter((c) => c.pct !== null);
  const pctSum = withPct.reduce((a, c) => a + (c.pct ?? 0), 0);
  const tolerance = 0.5 * withPct.length; // each shown percentage may be rounded to a whole number
  if (pctSum > 100 + tolerance) problem ??= `percentages add up to ${round(pctSum)}%`;
  const weights = pctOnly.map((i) => cells[i].pct ?? 0);
  const restPct = total > 0 ? (rest * 100) / total : 0;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const short = pctSum < 100 - tolerance ? restPct - weightSum : 0;
  const parts = largestRemainder(rest, short > 0 || weightSum === 0 ? [...weights, Math.max(short, 0) || 1] : weights);
  pctOnly.forEach((cell, k) => (counts[cell] = parts[k]));
  let unknown = parts.length > pctOnly.length ? parts[pctOnly.length] : 0;
  for (const cell of pctOnly) {
    if ((cells[cell].pct ?? 0) <= 0 || counts[cell] > 0) continue;
    if (unknown > 0) {
      unknown--;
      counts[cell] = 1;
      continue;
    }
    let donor = -1;
    for (const j of pctOnly) if (counts[j] > 1 && (donor < 0 || counts[j] > counts[donor])) donor = j;
    if (donor < 0) break;
    counts[donor]--;
    counts[cell] = 1;
  }
  return { counts, unknown, estimated: rest > 0, problem };
}

const round = (x: number): string => String(Math.round(x * 100) / 100);
