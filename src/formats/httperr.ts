// HTTP.sys error logs (httperr*.log, domain.md §2.4): W3C lines re-bound at every #Fields, one usage hit per line
// with the s-reason as detail. They carry no TLS version (protocol `unknown`); the summary relates their client
// addresses to IIS rows instead. Detected by `#Software: Microsoft HTTP API` (or an s-reason #Fields), never by name.
import { usageDims, type UsageDims, type UsageRow } from '../aggregate/usage.js';
import { endpointOf } from './iis-endpoint.js';
import type { FormatDef, LineParser, ParseContext } from './types.js';
import { parseW3cDirective, splitW3cLine, w3cDirectives } from './w3c-line.js';

interface Binding {
  readonly n: number;
  readonly date: number;
  readonly time: number;
  readonly cip: number;
  readonly sport: number;
  readonly uri: number;
  readonly site: number;
  readonly reason: number;
}

interface HttpErrState {
  fields: string | null;
}

function bind(fields: string): Binding | null {
  const names = fields.trim().split(/\s+/).map((f) => f.toLowerCase());
  const at = (name: string): number => names.indexOf(name);
  const b = {
    n: names.length, date: at('date'), time: at('time'), cip: at('c-ip'), sport: at('s-port'), uri: at('cs-uri'),
    site: at('s-siteid'), reason: at('s-reason'),
  };
  return b.date < 0 || b.time < 0 || b.cip < 0 ? null : b;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}/;
const dash = (v: string): string | null => (v === '-' || v === '' ? null : v);

/** The Exchange application of a cs-uri (`/owa/…`, `http://host/ews/…`), null when no URL was logged. */
function endpointOfUri(uri: string): string | null {
  if (uri === '-' || uri === '') return null;
  let path = uri;
  const scheme = uri.indexOf('://');
  if (scheme > 0) {
    const slash = uri.indexOf('/', scheme + 3);
    path = slash < 0 ? '/' : uri.slice(slash);
  }
  return endpointOf(path);
}

class HttpErrParser implements LineParser {
  records = 0;
  readonly tlsFields = false;
  private b: Binding | null = null;
  private fields: string | null = null;
  private readonly cache = new Map<string, UsageRow>();
  private gen: number;
  private readonly server: string | null;

  constructor(
    private readonly ctx: ParseContext,
    state: HttpErrState | null,
  ) {
    this.gen = ctx.agg.generation;
    this.server = ctx.hints.server;
    if (state?.fields) this.setFields(state.fields);
  }

  saveState(): HttpErrState {
    return { fields: this.fields };
  }

  private setFields(value: string): boolean {
    this.fields = value;
    this.b = bind(value);
    this.cache.clear();
    return this.b !== null;
  }

  line(text: string, lineNo: number): void {
    if (text.length === 0) return;
    const diags = this.ctx.diags;
    if (text.charCodeAt(0) === 35) {
      const d = parseW3cDirective(text);
      if (d?.name === 'fields' && !this.setFields(d.value)) {
        diags.add('bad_record', lineNo, '#Fields lacks date, time or c-ip: lines up to the next #Fields are skipped');
      }
      return;
    }
    const b = this.b;
    if (b === null) return diags.add('no_fields', lineNo, 'data line before any usable #Fields directive');
    const t = splitW3cLine(text, b.n);
    if (t === null) {
      if (text.includes('\u0000')) return diags.add('garbage', lineNo, 'NUL bytes instead of a log line');
      return diags.add('field_count', lineNo, `${text.split(' ').length} values where #Fields names ${b.n}`);
    }
    const date = t[b.date];
    const time = t[b.time];
    if (!DATE.test(date) || !TIME.test(time)) {
      return diags.add('bad_timestamp', lineNo, `no valid date and time (${JSON.stringify(text.slice(0, 40))})`);
    }
    const row = this.rowFor(t, b, date);
    row.hits++;
    row.errors++; // every HTTP.sys error-log line is a request or connection HTTP.sys refused or cut
    const ts = date + 'T' + time.slice(0, 8) + 'Z';
    if (row.firstSeen === '' || ts < row.firstSeen) row.firstSeen = ts;
    if (ts > row.lastSeen) row.lastSeen = ts;
    this.records++;
  }

  private rowFor(t: readonly string[], b: Binding, date: string): UsageRow {
    if (this.gen !== this.ctx.agg.generation) {
      this.cache.clear();
      this.gen = this.ctx.agg.generation;
    }
    const g = (i: number): string => (i >= 0 ? t[i] : '-');
    const endpoint = endpointOfUri(g(b.uri));
    const key = `${date} ${g(b.cip)} ${g(b.sport)} ${g(b.site)} ${g(b.reason)} ${endpoint}`;
    let row = this.cache.get(key);
    if (row === undefined) {
      row = this.ctx.agg.row(this.dims(t, b, date, endpoint));
      this.cache.set(key, row);
    }
    return row;
  }

  private dims(t: readonly string[], b: Binding, date: string, endpoint: string | null): UsageDims {
    const g = (i: number): string | null => (i >= 0 ? dash(t[i]) : null);
    const site = g(b.site);
    return usageDims({
      day: date, source: 'httperr', server: this.server, site: site === null ? null : `W3SVC${site}`,
      clientIp: g(b.cip), endpoint, protocol: 'unknown', detail: g(b.reason), internal: g(b.sport) === '444' ? 1 : 0,
    });
  }
}

export const httpErrFormat: FormatDef = {
  name: 'httperr',
  sniff(head) {
    for (const d of w3cDirectives(head)) {
      if (d.name === 'software') return /microsoft http api/i.test(d.value);
      if (d.name === 'fields') {
        const names = d.value.toLowerCase().split(/\s+/);
        if (!d.value.includes(',') && names.includes('s-reason') && names.includes('c-port')) return true;
      }
    }
    return false;
  },
  create(ctx, state) {
    return new HttpErrParser(ctx, (state as HttpErrState | null) ?? null);
  },
};
