// Entra ID sign-ins as NDJSON: one signIn object per line (Graph objects saved line by line, Log Analytics rows
// exported as JSON lines). Line-based like the logs, so a bad line is skipped with its number and a re-scan of a
// grown file reads on from where it stopped; each line is one small object for JSON.parse.
import type { FormatDef, LineParser, ParseContext } from '../types.js';
import { fieldsOf, freshTally, takeSignIn, type SignInTally } from './signin.js';
import { looksLikeSignIn } from './sniff.js';

class NdjsonParser implements LineParser {
  records = 0;
  tlsFields = true;
  private readonly tally: SignInTally;

  constructor(
    private readonly ctx: ParseContext,
    state: SignInTally | null,
  ) {
    this.tally = state && typeof state === 'object' ? { ...freshTally(), ...state } : freshTally();
  }

  line(text: string, lineNo: number): void {
    const s = text.trim();
    if (s === '') return;
    let value: unknown;
    try {
      value = JSON.parse(s) as unknown;
    } catch (err) {
      this.ctx.diags.add('bad_json', lineNo, `malformed JSON line (${(err as Error).message})`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.ctx.diags.add('bad_record', lineNo, 'a line that is not a sign-in object');
      return;
    }
    const before = this.tally.counted;
    takeSignIn(this.ctx, fieldsOf(value as Record<string, unknown>), lineNo, this.tally);
    this.records += this.tally.counted - before;
  }

  saveState(): SignInTally {
    return { ...this.tally };
  }
}

export const entraNdjsonFormat: FormatDef = {
  name: 'entra-signin-ndjson',
  sniff(head) {
    const line = head.find((l) => l.trim() !== '')?.trim() ?? '';
    if (!line.startsWith('{') || !line.endsWith('}')) return false;
    try {
      const first = JSON.parse(line) as unknown;
      return first !== null && typeof first === 'object' && !Array.isArray(first) && looksLikeSignIn(first as Record<string, unknown>);
    } catch {
      return false;
    }
  },
  create(ctx, state) {
    return new NdjsonParser(ctx, (state as SignInTally | null) ?? null);
  },
};
