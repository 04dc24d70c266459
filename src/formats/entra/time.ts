// Sign-in times as exports write them: ISO 8601 (Graph, Log Analytics JSON; up to 7 fraction digits, Z or an
// offset), the portal's display form in Log Analytics CSV, `11/10/2026, 9:19:43.000 PM` (UTC, month first), and
// Windows PowerShell 5.1's ConvertTo-Json of a DateTime, `/Date(1762809583000)/` (milliseconds since 1970 UTC; an
// offset after them, `/Date(1762809583000+0100)/`, only says how the time was shown).
// Result: ISO 8601 UTC to the second (`2026-11-10T21:19:43Z`), or null when the text is no time.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MS_DATE = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

function iso(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMin: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null; // 31 February and the like
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)) - offsetMin * 60_000;
  return new Date(t).toISOString().slice(0, 19) + 'Z';
}

export function parseSignInTime(text: string): string | null {
  const s = text.trim();
  const m = ISO.exec(s);
  if (m) {
    let offset = 0;
    const z = m[7];
    if (z !== undefined && z.toUpperCase() !== 'Z') {
      const sign = z[0] === '-' ? -1 : 1;
      const digits = z.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    return iso(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], offset);
  }
  const ms = MS_DATE.exec(s);
  if (ms) {
    const t = new Date(Number(ms[1]));
    return Number.isNaN(t.getTime()) ? null : t.toISOString().slice(0, 19) + 'Z';
  }
  // the display form with slashes, month first whatever its numbers show (log-analytics-csv.ts tells a file's order)
  const shown = shownTime(s);
  return shown === null || shown.separator !== '/' ? null : shownIso({ ...shown, dayFirst: null }, false);
}

const SHOWN = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AP]M)?$/i;

/** A time as the portal displays it, its first two numbers not yet placed; null for any other text. */
export interface ShownTime {
  readonly text: string;
  /** What the numbers prove about the order: true day first (the first > 12), false month first, null nothing. */
  readonly dayFirst: boolean | null;
  /** A 12-hour clock (AM/PM): en-US writes month first, en-GB and most others a 24-hour clock and day first. */
  readonly clock12: boolean;
  /** Between the date's parts: `/`, `.` or `-`. */
  readonly separator: string;
  readonly parts: readonly number[];
}

/** `10/11/2026, 21:19:43.000`, `11/10/2026, 9:19:43.000 PM`, `10.11.2026 21:19:43` (dotted: always day first). */
export function shownTime(text: string): ShownTime | null {
  const m = SHOWN.exec(text.trim());
  if (!m) return null;
  const a = +m[1];
  const b = +m[3];
  const dayFirst = m[2] === '.' || a > 12 ? true : b > 12 ? false : null;
  const half = m[8]?.toUpperCase();
  return { text, dayFirst, clock12: half !== undefined, separator: m[2], parts: [a, b, +m[4], +m[5], +m[6], m[7] === undefined ? 0 : +m[7], half === 'PM' ? 1 : 0] };
}

/** The shown time as ISO 8601 UTC read with `dayFirst` (where its numbers do not decide), or null when it is no time. */
export function shownIso(t: ShownTime, dayFirst: boolean): string | null {
  const [a, b, y, h, mi, sec, pm] = t.parts;
  let hour = h;
  if (t.clock12) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (pm === 1 ? 12 : 0);
  }
  const df = t.dayFirst ?? dayFirst;
  return iso(y, df ? b : a, df ? a : b, hour, mi, sec, 0);
}

