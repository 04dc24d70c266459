// Dates for Exchange Online reports: the SMTP AUTH report's period (--period, else dates in the file name, else the
// file's modification day) and the day of a connector report row ("2024-03-10", "3/10/2024", "10.03.2024", …).
// Pure functions; an unusable value is null, never a guess dressed as a fact.
import type { PeriodSource, ReportPeriod } from '../aggregate/report-rows.js';

/** "YYYY-MM-DD" when y/m/d is a real calendar day. */
function isoDay(y: number, m: number, d: number): string | null {
  if (!(y >= 1970 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

/** A strict "YYYY-MM-DD". */
export function parseIsoDay(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  return m ? isoDay(+m[1], +m[2], +m[3]) : null;
}

/** "--period START..END" (inclusive days, START not after END); null when malformed. */
export function parsePeriodOption(text: string): ReportPeriod | null {
  const parts = text.split('..');
  if (parts.length !== 2) return null;
  const start = parseIsoDay(parts[0]);
  const end = parseIsoDay(parts[1]);
  if (start === null || end === null || start > end) return null;
  return { start, end };
}

/** Dates written as YYYY-MM-DD, YYYY_MM_DD, YYYY.MM.DD or YYYYMMDD in a file's name (not its folders). */
export function periodFromFileName(path: string): ReportPeriod | null {
  const name = path.split(/[\\/!]/).pop() ?? path;
  const days: string[] = [];
  for (const m of name.matchAll(/(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)/g)) {
    const day = isoDay(+m[1], +m[3], +m[4]);
    if (day !== null && !days.includes(day)) days.push(day);
  }
  if (days.length === 0 || days.length > 2) return null; // three dates: no way to tell which pair is the period
  days.sort();
  return { start: days[0], end: days[days.length - 1] };
}

export interface ResolvedPeriod {
  readonly period: ReportPeriod;
  readonly source: PeriodSource;
}

/** The period a SMTP AUTH export covers, and where that came from. */
export function resolvePeriod(option: ReportPeriod | undefined, path: string, mtimeMs: number): ResolvedPeriod {
  if (option) return { period: option, source: 'option' };
  const named = periodFromFileName(path);
  if (named) return { period: named, source: 'file name' };
  const day = new Date(Number.isFinite(mtimeMs) ? mtimeMs : 0).toISOString().slice(0, 10);
  return { period: { start: day, end: day }, source: 'file modified' };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const month = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

export interface ReportDay {
  readonly day: string;
  /** What the value shows about the file's day/month order: true day first, false month first, null nothing. */
  readonly dayFirst: boolean | null;
}

/**
 * The day of a connector report row. An ISO date (time ignored), "DD.MM.YYYY", "10 Mar 2024", "Mar 10, 2024", or
 * "A/B/YYYY" (also with "-"): day first when A > 12, month first when B > 12, else as `dayFirst` says.
 */
export function parseReportDay(text: string, dayFirst: boolean): ReportDay | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ])/.exec(t);
  if (m) return wrap(isoDay(+m[1], +m[2], +m[3]), null);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|\s)/.exec(t);
  if (m) return wrap(isoDay(+m[3], +m[2], +m[1]), null); // dotted dates are always day first
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:$|\s)/.exec(t);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    const first = a > 12 ? true : b > 12 ? false : null;
    const df = first ?? dayFirst;
    return wrap(df ? isoDay(+m[3], b, a) : isoDay(+m[3], a, b), first);
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3,9})[ -,]*(\d{4})(?:$|\s)/.exec(t);
  if (m && month(m[2]) > 0) return wrap(isoDay(+m[3], month(m[2]), +m[1]), null);
  m = /^(?:[A-Za-z]+,\s*)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:$|\s)/.exec(t);
  if (m && month(m[1]) > 0) return wrap(isoDay(+m[3], month(m[1]), +m[2]), null);
  return null;
}

const wrap = (day: string | null, dayFirst: boolean | null): ReportDay | null => (day === null ? null : { day, dayFirst });
