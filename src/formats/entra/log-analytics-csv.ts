// Log Analytics exports of SigninLogs and AADNonInteractiveUserSignInLogs as CSV (UTF-8 with BOM, header row,
// `TimeGenerated [UTC]` as the portal shows it (in the viewer's regional format: day or month first, told by the
// times themselves or guessed from the clock, see CsvState), JSON text in the AuthenticationProcessingDetails,
// DeviceDetail and Status cells). Columns bind by name; columns the reader does not use are named once as a note,
// never an error.
// A CSV without AuthenticationProcessingDetails is read as a blind spot: its sign-ins get protocol `unknown`.
import { headerLine, normHeader, RecordReader, splitLine, type PendingRecord, type RecordEvent } from '../exo-csv.js';
import type { FormatDef, LineParser, ParseContext } from '../types.js';
import { freshTally, takeSignIn, type SignInTally } from './signin.js';
import { DateOrder, type DateOrderState, type DateOrderWords } from '../date-order.js';
import { shownIso, shownTime } from './time.js';

/** Columns read (normalized: no spaces, lower case, the ` [UTC]` suffix dropped), and what they are called in a sign-in. */
const COLUMNS: Readonly<Record<string, string>> = {
  id: 'id',
  timegenerated: 'timegenerated',
  createddatetime: 'createddatetime',
  userprincipalname: 'userprincipalname',
  ipaddress: 'ipaddress',
  useragent: 'useragent',
  appdisplayname: 'appdisplayname',
  resourcedisplayname: 'resourcedisplayname',
  clientappused: 'clientappused',
  devicedetail: 'devicedetail',
  authenticationprocessingdetails: 'authenticationprocessingdetails',
  resulttype: 'resulttype',
  status: 'status',
  isinteractive: 'isinteractive',
  type: 'type',
  category: 'category',
  resourcetenantid: 'resourcetenantid',
  aadtenantid: 'aadtenantid',
};

/** Other columns of these tables: read past without a note. */
const KNOWN_UNUSED = new Set([
  'tenantid', 'sourcesystem', 'operationname', 'operationversion', 'resultdescription', 'resultsignature',
  'durationms', 'correlationid', 'resourcegroup', 'identity', 'level', 'location', 'appid', 'userdisplayname',
  'userid', 'usertype', 'locationdetails', 'conditionalaccessstatus', 'conditionalaccesspolicies',
  'authenticationrequirement', 'authenticationdetails', 'mfadetail', 'riskdetail', 'risklevelaggregated',
  'risklevelduringsignin', 'riskstate', 'riskeventtypes', 'riskeventtypes_v2', 'isrisky', 'originalrequestid',
  'resourceid', 'resourceidentity', 'servicepricipalid', 'serviceprincipalid', 'serviceprincipalname', 'tokenissuertype',
  'tokenissuername', 'homeTenantId'.toLowerCase(), 'homeTenantName'.toLowerCase(), 'signineventtypes',
  'crosstenantaccesstype', 'incomingtokentype', 'autonomoussystemnumber', 'authenticationprotocol', 'uniquetokenidentifier',
  'sessionid', 'signinidentifier', 'signinidentifiertype', 'networklocationdetails', 'processingtimeinmilliseconds',
  'flaggedforreview', 'isthroughglobalsecureaccess', 'globalsecureaccessipaddress', 'clientcredentialtype',
  '_resourceid', '_subscriptionid', '_itemid', '_billedsize', '_isbillable', 'tenantid_', 'authenticationmethodsused',
  'authenticationcontextclassreferences', 'devicedetail_', 'appliedeventlisteners', 'alternatesigninname',
]);

const normColumn = (s: string): string => normHeader(s.replace(/\[utc\]\s*$/i, ''));

/** A header with the time, the sign-in id and a user or the TLS details: a sign-in log export. */
function bindHeader(text: string, delimiter: string | null): { delimiter: string; columns: Record<string, number>; unknown: string[] } | null {
  for (const d of delimiter === null ? [',', ';', '\t'] : [delimiter]) {
    const cells = splitLine(text, d).map((c) => c.trim());
    const columns: Record<string, number> = {};
    const unknown: string[] = [];
    cells.forEach((c, i) => {
      const n = normColumn(c);
      if (n in COLUMNS && !(COLUMNS[n] in columns)) columns[COLUMNS[n]] = i;
      else if (!KNOWN_UNUSED.has(n)) unknown.push(c);
    });
    if ('id' in columns && ('timegenerated' in columns || 'createddatetime' in columns) &&
      ('userprincipalname' in columns || 'authenticationprocessingdetails' in columns)) {
      return { delimiter: d, columns, unknown };
    }
  }
  return null;
}

/** With the day/month order of the file's displayed times (date-order.ts), guessed from the first one's clock. */
interface CsvState extends SignInTally, DateOrderState {
  header: { delimiter: string; columns: Record<string, number> } | null;
  pending: PendingRecord | null;
}

const SHOWN_TIMES: DateOrderWords = {
  noun: 'time', iso: 'ISO 8601 times', items: 'sign-ins', why: (dayFirst) => `${dayFirst ? '24-hour' : '12-hour'} clock suggests`,
};

const TIME_COLUMNS = ['timegenerated', 'createddatetime'];

class LogAnalyticsCsvParser implements LineParser {
  records = 0;
  tlsFields = true;
  private readonly st: CsvState;
  private reader: RecordReader | null = null;
  private readonly events: RecordEvent[] = [];

  constructor(
    private readonly ctx: ParseContext,
    state: CsvState | null,
  ) {
    this.st = state && typeof state === 'object' ? state : { ...freshTally(), header: null, pending: null };
    if (this.st.header !== null) this.reader = new RecordReader(this.st.header.delimiter, this.st.pending);
    this.order = new DateOrder(ctx, this.st, SHOWN_TIMES);
  }

  private readonly order: DateOrder;

  line(text: string, lineNo: number): void {
    if (this.reader === null) return this.headerAt(text, lineNo);
    this.reader.push(text, lineNo, this.events);
    for (const e of this.events) {
      if (e.kind === 'unclosed') this.ctx.diags.add('bad_record', e.line, 'a quoted cell is not closed within 20 lines; the line was skipped');
      else this.row(e.cells, e.line);
    }
    this.events.length = 0;
  }

  private headerAt(text: string, lineNo: number): void {
    const line = headerLine([text]);
    if (line === null) return; // blank lines before the header
    const h = bindHeader(line.text, line.delimiter);
    if (h === null) {
      this.ctx.diags.add('bad_record', lineNo, 'expected the header row of a sign-in log export');
      return;
    }
    this.st.header = { delimiter: h.delimiter, columns: h.columns };
    this.reader = new RecordReader(h.delimiter, null);
    if (h.unknown.length > 0) {
      this.ctx.diags.note('unknown_columns', lineNo, `${h.unknown.length} columns not read: ${h.unknown.slice(0, 8).join(', ')}${h.unknown.length > 8 ? ', …' : ''}`);
    }
    if (!('authenticationprocessingdetails' in h.columns)) {
      this.ctx.diags.note('no_tls_details', lineNo,
        'no AuthenticationProcessingDetails column: the TLS version of these sign-ins is unknown (add the column to the export)');
    }
  }

  private row(cells: readonly string[], line: number): void {
    const columns = this.st.header?.columns ?? {};
    const fields = new Map<string, unknown>();
    for (const [name, at] of Object.entries(columns)) {
      const v = cells[at];
      if (v !== undefined) fields.set(name, v);
    }
    for (const name of TIME_COLUMNS) {
      const v = fields.get(name);
      const shown = typeof v === 'string' ? shownTime(v) : null;
      if (shown === null) continue; // ISO 8601, or no time: read as it is
      this.st.dayFirst ??= !shown.clock12;
      this.order.see(shown.dayFirst, true, line, shown.text.trim());
      fields.set(name, shownIso(shown, this.st.dayFirst) ?? v);
    }
    const before = this.st.counted;
    takeSignIn(this.ctx, fields, line, this.st);
    this.records += this.st.counted - before;
  }

  end(): void {
    this.order.end();
  }

  saveState(): CsvState {
    return { ...this.st, pending: this.reader?.pending ?? null };
  }
}

export const entraLogAnalyticsCsvFormat: FormatDef = {
  name: 'entra-signin-csv',
  sniff(head) {
    const line = headerLine(head);
    return line !== null && !line.text.startsWith('#') && bindHeader(line.text, line.delimiter) !== null;
  },
  create(ctx, state) {
    return new LogAnalyticsCsvParser(ctx, (state as CsvState | null) ?? null);
  },
};
