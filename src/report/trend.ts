// The burn-down every format shows: legacy people/devices and legacy hits per day. What the text and Markdown
// tables hold is chosen here once (the last TREND_DAYS days); JSON and HTML carry every day.
import type { DailyProtocols, Summary } from './model.js';

export const TREND_TITLE = 'Legacy people and devices per day';

export const TREND_NOTE =
  'People or devices: distinct users at an address on SSL 3.0, TLS 1.0 or TLS 1.1 that day, noise aside ' +
  '(known exceptions count: they are still to fix).';

/** Text and Markdown list at most this many days, the newest. */
export const TREND_DAYS = 31;

export const TREND_COLUMNS = ['day', 'people/devices', 'legacy hits', 'of them noise', 'legacy share'] as const;

export interface Trend {
  readonly days: readonly DailyProtocols[];
  /** Days of the window left out of the tables (older ones). */
  readonly omitted: number;
}

export function trendOf(s: Summary): Trend {
  const days = s.daily.slice(-TREND_DAYS);
  return { days, omitted: s.daily.length - days.length };
}

export const omittedNote = (n: number): string =>
  `${n} older day${n === 1 ? '' : 's'} not shown here (JSON and HTML have every day).`;
