// Exchange Online Inbound/Outbound messages reports ("Connector report details", "Messages by TLS used") as CSV.
// One row per connector and day → a report row with identity (connector, day, type, direction), replaced not added.
import { DateOrder, type DateOrderState, type DateOrderWords } from './date-order.js';
import type { BucketValues, ConnectorReportRow } from '../aggregate/report-rows.js';
import { allocate, parseCount, parseTlsCell, type TlsCell } from './exo-cells.js';
import { type ColumnSpec, type Header, looksLike, tlsAliases } from './exo-csv.js';
import { parseReportDay } from './exo-period.js';
import { type ExoBaseState, ExoReportParser, freshBase } from './exo-report-parser.js';
import type { FormatDef, ParseContext } from './types.js';

/** TLS columns in bucket order; `No TLS` is stored as protocol "none". */
const TLS_COLUMNS = [
  { key: 'none', label: 'No TLS', aliases: ['No TLS', 'NoTLS', 'No TLS (%)', 'None'], required: true },
  { key: 'tls10', label: 'TLS 1.0', aliases: tlsAliases('1.0'), required: true },
  { key: 'tls11', label: 'TLS 1.1', aliases: tlsAliases('1.1'), required: true },
  { key: 'tls12', label: 'TLS 1.2', aliases: tlsAliases('1.2'), required: true },
  { key: 'tls13', label: 'TLS 1.3', aliases: tlsAliases('1.3'), required: false },
] as const;

export const CONNECTOR_COLUMNS: readonly ColumnSpec[] = [
  { key: 'date', label: 'Date', aliases: ['Date', 'Day'], required: true },
  { key: 'connector', label: 'Connector direction and name', aliases: ['Connector direction and name', 'Connector name', 'Connector'], required: true },
  { key: 'direction', label: 'Direction', aliases: ['Direction', 'Connector direction'], required: false },
  { key: 'type', label: 'Connector type', aliases: ['Connector type', 'ConnectorType', 'Type'], required: false },
  { key: 'forced', label: 'Forced TLS?', aliases: ['Forced TLS?', 'Forced TLS', 'ForcedTLS'], required: false },
  ...TLS_COLUMNS,
  { key: 'volume', label: 'Volume', aliases: ['Volume', 'Message count', 'Messages'], required: true },
];

type Direction = ConnectorReportRow['direction'];

const directionIn = (text: string): Direction =>
  /\binbound\b/i.test(text) ? 'inbound' : /\boutbound\b/i.test(text) ? 'outbound' : '';

function forcedTls(text: string): 0 | 1 | null {
  if (/^(yes|true|y|1|on)$/i.test(text)) return 1;
  if (/^(no|false|n|0|off)$/i.test(text)) return 0;
  return null;
}

interface ConnectorState extends ExoBaseState, DateOrderState {
  /** Day/month order for "A/B/YYYY" dates with both parts ≤ 12 (date-order.ts); guessed from the delimiter. */
  dayFirst: boolean;
  proven: boolean;
  guessed: boolean;
  /** "Inbound"/"Outbound" in the file's name, for rows that name no direction. */
  fileDirection: Direction;
}

const CONNECTOR_DATES: DateOrderWords = {
  noun: 'date', iso: 'ISO dates', items: 'rows', why: (dayFirst) => (dayFirst ? 'semicolons suggest' : 'commas suggest'),
};

class ConnectorParser extends ExoReportParser<ConnectorState> {
  constructor(ctx: ParseContext, state: ConnectorState | null) {
    const fresh: ConnectorState = { ...freshBase(), dayFirst: false, proven: false, guessed: false, fileDirection: '' };
    super(ctx, state, fresh, CONNECTOR_COLUMNS, 'an Exchange Online inbound/outbound messages (connector) report');
    this.order = new DateOrder(ctx, this.st, CONNECTOR_DATES);
  }

  private readonly order: DateOrder;

  protected onHeader(h: Header): void {
    this.st.dayFirst = h.delimiter === ';'; // the locales that write ";" write day-first dates
    const name = this.ctx.file.split(/[\\/!]/).pop() ?? '';
    const inbound = /inbound/i.test(name); // "InboundMessages.csv": no word boundary to rely on
    this.st.fileDirection = inbound === /outbound/i.test(name) ? '' : inbound ? 'inbound' : 'outbound';
  }

  protected row(cells: readonly string[], line: number, rowNo: number): void {
    const dateText = this.cell(cells, 'date');
    const d = parseReportDay(dateText, this.st.dayFirst);
    if (d === null) return this.badCell(line, rowNo, 'date', dateText, 'a date');
    this.order.see(d.dayFirst, /^\d{1,2}[/-]\d{1,2}[/-]\d{4}/.test(dateText.trim()), line, dateText);
    const connector = this.cell(cells, 'connector');
    if (connector === '') return this.ctx.diags.add('bad_record', line, `row ${rowNo} names no connector; row skipped`);
    const volumeText = this.cell(cells, 'volume');
    const volume = parseCount(volumeText);
    if (volume === null) return this.badCell(line, rowNo, 'volume', volumeText, 'a message count');
    const present = TLS_COLUMNS.filter((c) => this.has(c.key));
    const tls: TlsCell[] = [];
    for (const c of present) {
      const text = this.cell(cells, c.key);
      const cell = parseTlsCell(text, 'count');
      if (cell === null) return this.badCell(line, rowNo, c.key, text, 'a count or percentage');
      tls.push(cell);
    }
    const a = allocate(volume, tls);
    if (a.problem !== null) this.ctx.diags.add('count_mismatch', line, `row ${rowNo} (${connector}): ${a.problem}`);
    const counts: Record<string, number | null> = { none: null, tls10: null, tls11: null, tls12: null, tls13: null, unknown: a.unknown };
    const percents: Record<string, number | null> = { none: null, tls10: null, tls11: null, tls12: null, tls13: null, unknown: null };
    present.forEach((c, i) => {
      counts[c.key] = a.counts[i];
      percents[c.key] = tls[i].pct;
    });
    const type = this.cell(cells, 'type');
    this.ctx.reports?.push({
      kind: 'exo-connector',
      day: d.day,
      connector,
      connectorType: type === '-' ? '' : type,
      direction: directionIn(this.cell(cells, 'direction')) || directionIn(connector) || this.st.fileDirection,
      forcedTls: forcedTls(this.cell(cells, 'forced')),
      volume,
      counts: counts as BucketValues,
      percents: percents as BucketValues,
      estimated: a.estimated ? 1 : 0,
      line,
      exportedMs: this.ctx.mtimeMs ?? 0,
    });
    this.records++;
  }

  end(): void {
    this.order.end();
  }
}

export const exoConnectorReportFormat: FormatDef = {
  name: 'exo-connector-report',
  sniff(head) {
    return looksLike(head, CONNECTOR_COLUMNS, ['connector'], ['none', 'tls10', 'tls11', 'tls12', 'tls13', 'volume']);
  },
  create(ctx, state) {
    return new ConnectorParser(ctx, (state as ConnectorState | null) ?? null);
  },
};
