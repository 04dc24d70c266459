// Small formatting helpers shared by the formatters: numbers, shares, and log strings made safe to print.
// Escaping for a target language (HTML, Markdown, CSV) lives with its formatter, not here.
import { ENTRA_LEGACY_LABEL } from '../tls/legacy.js';

export const num = (n: number): string => n.toLocaleString('en-US');

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Log strings may hold control characters (terminal escapes, newlines): show them as "?", and cut to `max`. */
export function clean(s: string | null, max: number = Number.MAX_SAFE_INTEGER): string {
  const v = (s ?? '-').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return v.length > max ? v.slice(0, Math.max(1, max - 1)) + '…' : v;
}

/** "SSL 3.0" → "SSL3", "TLS 1.0" → "1.0": the short labels of the text and Markdown tables. */
export function shortProtocol(p: string): string {
  if (p === ENTRA_LEGACY_LABEL) return 'old/3DES'; // Entra ID's flag: TLS 1.0/1.1 or 3DES, which one is not said
  return p.startsWith('TLS ') ? p.slice(4) : p.replace(' ', '').replace(/\.0$/, '');
}

/** The window in words: "2024-03-11 to 2024-03-12 (last 2 days); servers exch01; sources iis", or null. */
export function windowText(w: {
  since: string | null;
  until: string | null;
  days: number | null;
  servers: readonly string[];
  sources: readonly string[];
}): string | null {
  const parts: string[] = [];
  if (w.since !== null || w.until !== null) {
    const range = `${w.since ?? 'the start'} to ${w.until ?? 'the end'}`;
    parts.push(w.days !== null ? `${range} (last ${w.days} day${w.days === 1 ? '' : 's'} of data)` : range);
  } else if (w.days !== null) {
    parts.push(`last ${w.days} days (no data)`);
  }
  if (w.servers.length > 0) parts.push(`servers ${w.servers.join(', ')}`);
  if (w.sources.length > 0) parts.push(`sources ${w.sources.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** A deterministic ordering helper for strings that may be null. */
export const compareText = (a: string | null, b: string | null): number => (a ?? '').localeCompare(b ?? '', 'en');

/** `s` padded with spaces to `n` columns (left-aligned); longer text stays whole. */
export const pad = (s: string, n: number): string => s.padEnd(n);
/** `s` padded with spaces to `n` columns (right-aligned); longer text stays whole. */
export const padL = (s: string, n: number): string => s.padStart(n);

/**
 * Greedy word wrap to `width` columns of already-cleaned text: the first line after `first`, the others after
 * `rest`. A line that cannot be broken (one long word) stays whole, except the last, which is cut with … unless
 * `cutLast` is false.
 */
export function wrapWords(text: string, width: number, first = '', rest = first, cutLast = true): string[] {
  const lines: string[] = [];
  let indent = first;
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      indent = rest;
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  const last = indent + line;
  if (line !== '') lines.push(cutLast && last.length > width ? clean(last, width) : last);
  return lines;
}
