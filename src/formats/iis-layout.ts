// IIS W3C layout binding: a #Fields value → the indexes of the fields the parser reads, and the layout state of a
// file (the #Fields in force, earlier ones, the #Date of logs without a date field). It reads no data lines.
import { FIELD_KEY, FIELD_LONG, type EngineBinding } from './iis-lines.js';
import type { DiagnosticCounter } from '../aggregate/diagnostics.js';
import { parseW3cDirective } from './w3c-line.js';

/** Field names that carry the original client address behind a proxy (first address wins). */
const FORWARDED_FIELDS = ['originalclientip', 'x-forwarded-for', 'cs(x-forwarded-for)', 'originalip', 'x-original-client-ip'];

/** Fields that are often long and never part of a key. */
const LONG_FIELDS = ['cs-uri-query', 'cs(cookie)'];

export const DEFAULT_FIELD_MAP: Readonly<Record<string, string>> = {
  'crypt-protocol': 'crypt-protocol',
  'crypt-cipher': 'crypt-cipher',
  'crypt-hash': 'crypt-hash',
  'crypt-keyexchange': 'crypt-keyexchange',
};

/** Where each field the parser reads is in a line of one #Fields layout (-1: not logged). */
export interface Binding extends EngineBinding {
  readonly n: number;
  readonly date: number;
  readonly time: number;
  readonly site: number;
  readonly computer: number;
  readonly port: number;
  readonly stem: number;
  readonly user: number;
  readonly cip: number;
  readonly ua: number;
  readonly status: number;
  readonly proto: number;
  readonly cipher: number;
  readonly hash: number;
  readonly kex: number;
  readonly xff: number;
  /** Runs [first, last] of adjacent key fields: the raw cache key is built from a few line slices. */
  readonly runs: readonly (readonly [number, number])[];
  /**
   * Per field index, how the byte path reads it: FIELD_KEY (hashed byte by byte), FIELD_LONG (up to the next
   * space, whatever else it holds, like the text path's split), or 0 (up to the next byte ≤ 32).
   */
  readonly byteFields: Uint8Array;
}

/** The layout state stored with the checkpoint. */
export interface IisState {
  fields: string | null; // the #Fields value in force
  earlier?: string[]; // earlier distinct #Fields values of this file, newest first (at most 4)
  date: string | null; // date of the last #Date directive (for logs without a date field)
  lastTime: string | null; // for day rollover in logs without a date field
}

export function bind(fields: string, fieldMap: Readonly<Record<string, string>>): Binding {
  const names = fields.trim().split(/\s+/).map((f) => f.toLowerCase());
  const at = (name: string): number => names.indexOf(name);
  let xff = -1;
  for (const f of FORWARDED_FIELDS) if (xff < 0) xff = at(f);
  const keyFields = ['s-sitename', 's-computername', 's-port', 'c-ip', 'cs-username', 'cs(user-agent)']
    .map(at)
    .concat([fieldMap['crypt-protocol'], fieldMap['crypt-cipher'], fieldMap['crypt-hash'], fieldMap['crypt-keyexchange']].map(at), [xff])
    .filter((i) => i >= 0)
    .sort((x, y) => x - y);
  const runs: [number, number][] = [];
  for (const i of keyFields) {
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else if (!last || last[1] !== i) runs.push([i, i]);
  }
  const byteFields = new Uint8Array(names.length + 1);
  for (const name of LONG_FIELDS) if (at(name) >= 0) byteFields[at(name)] = FIELD_LONG;
  for (const i of keyFields) byteFields[i] = FIELD_KEY;
  return {
    runs,
    byteFields,
    n: names.length,
    // IIS Advanced Logging writes local time only; it is used when no UTC date/time is logged.
    date: at('date') >= 0 ? at('date') : at('date-local'),
    time: at('time') >= 0 ? at('time') : at('time-local'),
    site: at('s-sitename'),
    computer: at('s-computername'),
    port: at('s-port'),
    stem: at('cs-uri-stem'),
    user: at('cs-username'),
    cip: at('c-ip'),
    ua: at('cs(user-agent)'),
    status: at('sc-status'),
    proto: at(fieldMap['crypt-protocol']),
    cipher: at(fieldMap['crypt-cipher']),
    hash: at(fieldMap['crypt-hash']),
    kex: at(fieldMap['crypt-keyexchange']),
    xff,
  };
}

/** "YYYY-MM-DD" + 1 day. */
function nextDay(day: string): string {
  const t = Date.parse(day + 'T00:00:00Z') + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A file's layout as its directives set it: the binding in force, earlier ones, and the day of dateless lines. */
export class IisLayout {
  /** The binding of the #Fields in force, null before any. */
  binding: Binding | null = null;
  /** Bindings of earlier #Fields values of the file (lines IIS keeps writing in an old layout). */
  private earlier: Binding[];
  private readonly st: IisState;

  constructor(
    private readonly fieldMap: Readonly<Record<string, string>>,
    state: IisState | null,
  ) {
    this.st = state ? { ...state } : { fields: null, date: null, lastTime: null };
    if (this.st.fields !== null) this.binding = bind(this.st.fields, fieldMap);
    this.earlier = (this.st.earlier ?? []).map((f) => bind(f, fieldMap));
  }

  saveState(): IisState {
    return { ...this.st };
  }

  /** An earlier binding whose field count is `got` and which has a date and a time. */
  earlierWith(got: number): Binding | undefined {
    return this.earlier.find((e) => e.n === got && e.date >= 0 && e.time >= 0);
  }

  /**
   * The day of a line without a date field, at `time` (HH:MM:SS): the last #Date, moved on a day when the time
   * goes back. Null before any #Date.
   */
  dayAt(time: string | null): string | null {
    let date = this.st.date;
    if (date !== null && time !== null) {
      if (this.st.lastTime !== null && time < this.st.lastTime) date = this.st.date = nextDay(date);
      this.st.lastTime = time;
    }
    return date;
  }

  /** A "#" line. True when it bound a new #Fields value (the parser's caches then start again). */
  directive(text: string, lineNo: number, diags: DiagnosticCounter): boolean {
    const d = parseW3cDirective(text);
    if (d === null) return false; // a comment line: "#" followed by anything else
    if (d.name === 'fields') {
      if (d.value.trim() === '') {
        diags.add('bad_record', lineNo, 'empty #Fields directive');
        return false;
      }
      if (this.st.fields !== null && this.st.fields !== d.value) {
        const earlier = [this.st.fields, ...(this.st.earlier ?? []).filter((f) => f !== this.st.fields && f !== d.value)];
        this.st.earlier = earlier.slice(0, 4);
        this.earlier = this.st.earlier.map((f) => bind(f, this.fieldMap));
      }
      this.st.fields = d.value;
      this.binding = bind(d.value, this.fieldMap);
      return true;
    } else if (d.name === 'date') {
      const m = /^(\d{4}-\d{2}-\d{2})/.exec(d.value);
      if (m) {
        this.st.date = m[1];
        this.st.lastTime = null;
      }
    }
    return false;
  }
}
