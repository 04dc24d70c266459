// The day/month order of a file's `A/B/YYYY` dates (Exchange Online connector reports, Log Analytics CSV sign-ins):
// guessed from the file (its delimiter, its clock) until a date with a part over 12 settles it. The order is kept in
// the parser's state, so a file read on in a later scan goes on with it. Said when the guess turns out wrong
// (`ambiguous_date`, a bad line) and when nothing settles it (`guessed_date_order`, a note).
import type { ParseContext } from './types.js';

/** The order as the parser's state keeps it. */
export interface DateOrderState {
  /** Day first; the guess until `proven`. */
  dayFirst?: boolean;
  proven?: boolean;
  /** A date was read by the guess while not proven. */
  guessed?: boolean;
}

/** How the messages name the file's dates. */
export interface DateOrderWords {
  /** `date` or `time`. */
  readonly noun: string;
  /** What to re-export with: `ISO dates`. */
  readonly iso: string;
  /** What to check: `rows`. */
  readonly items: string;
  /** Why the guess was that: `semicolons suggest`. */
  readonly why: (dayFirst: boolean) => string;
}

export class DateOrder {
  /** First line of this read whose date was read by the guess. */
  private guessedAt: number | undefined;

  constructor(
    private readonly ctx: ParseContext,
    private readonly st: DateOrderState,
    private readonly words: DateOrderWords,
  ) {}

  /**
   * A date `text` at `line`: `shows` what its numbers prove (true day first, false month first, null nothing);
   * `ambiguous`: it was read by the order (it has the `A/B/YYYY` form).
   */
  see(shows: boolean | null, ambiguous: boolean, line: number, text: string): void {
    if (this.st.proven === true) return;
    if (shows === null) {
      if (!ambiguous) return;
      this.st.guessed = true;
      this.guessedAt ??= line;
      return;
    }
    this.st.proven = true;
    const { noun, iso, items } = this.words;
    if (shows !== this.st.dayFirst && this.st.guessed === true) {
      this.ctx.diags.add('ambiguous_date', line,
        `"${text}" shows ${shows ? 'day' : 'month'} first, but earlier ${noun}s with both parts ≤ 12 were read ` +
          `${shows ? 'month' : 'day'} first; re-export with ${iso} or check those ${items}`);
    }
    this.st.dayFirst = shows;
  }

  /** The input was read to its end: says so when this read read dates by a guess nothing settled. */
  end(): void {
    if (this.guessedAt === undefined || this.st.proven === true) return;
    const dayFirst = this.st.dayFirst === true;
    this.ctx.diags.note('guessed_date_order', this.guessedAt, `no ${this.words.noun} in this file shows whether the day ` +
      `or the month comes first (every day ≤ 12): read ${dayFirst ? 'day' : 'month'} first, as its ` +
      `${this.words.why(dayFirst)}; if that is wrong, re-export with ${this.words.iso}`);
  }
}
