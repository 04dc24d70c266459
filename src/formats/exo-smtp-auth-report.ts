// Exchange Online "SMTP AUTH clients report" exported as CSV (new EAC: percentages; older portal: "45% (12)").
// One row per sender → one report row for (sender, period); the store replaces rather than adds (store/exo-rows.ts).
import type { BucketValues, PeriodSource, ReportPeriod } from '../aggregate/report-rows.js';
import { allocate, parseCount, parseTlsCell, type TlsCell } from './exo-cells.js';
import { type ColumnSpec, looksLike, tlsAliases } from './exo-csv.js';
import { resolvePeriod } from './exo-period.js';
import { type ExoBaseState, ExoReportParser, freshBase } from './exo-report-parser.js';
import type { FormatDef, ParseContext } from './types.js';

const VERSIONS = [
  { key: 'tls10', version: '1.0', required: true },
  { key: 'tls11', version: '1.1', required: true },
  { key: 'tls12', version: '1.2', required: true },
  { key: 'tls13', version: '1.3', required: false },
] as const;

export const SMTP_AUTH_COLUMNS: readonly ColumnSpec[] = [
  { key: 'sender', label: 'Sender address', aliases: ['Sender address', 'SenderAddress', 'Sender'], required: true },
  { key: 'domain', label: 'Domain', aliases: ['Domain', 'Sender domain'], required: false },
  ...VERSIONS.map((v) => ({ key: v.key, label: `TLS ${v.version}`, aliases: tlsAliases(v.version), required: v.required })),
  { key: 'messages', label: 'Messages sent', aliases: ['Messages sent', 'Message count', 'MessageCount', 'Messages'], required: true },
];

interface SmtpAuthState extends ExoBaseState {
  period: ReportPeriod | null;
  periodSource: PeriodSource | null;
}

class SmtpAuthParser extends ExoReportParser<SmtpAuthState> {
  constructor(ctx: ParseContext, state: SmtpAuthState | null) {
    super(ctx, state, { ...freshBase(), period: null, periodSource: null }, SMTP_AUTH_COLUMNS, 'an Exchange Online SMTP AUTH clients report');
  }

  protected onHeader(): void {
    const r = resolvePeriod(this.ctx.reportPeriod, this.ctx.file, this.ctx.mtimeMs ?? Date.now());
    this.st.period = r.period;
    this.st.periodSource = r.source;
  }

  protected row(cells: readonly string[], line: number, rowNo: number): void {
    const { period, periodSource } = this.st;
    if (period === null || periodSource === null) return;
    const sender = this.cell(cells, 'sender').toLowerCase();
    if (sender === '') return this.ctx.diags.add('bad_record', line, `row ${rowNo} has no sender address; row skipped`);
    const total = this.cell(cells, 'messages');
    const messages = parseCount(total);
    if (messages === null) return this.badCell(line, rowNo, 'messages', total, 'a message count');
    const tls: TlsCell[] = [];
    for (const v of VERSIONS) {
      if (!this.has(v.key)) continue;
      const text = this.cell(cells, v.key);
      const c = parseTlsCell(text, 'percent');
      if (c === null) return this.badCell(line, rowNo, v.key, text, 'a percentage or "45% (12)"');
      tls.push(c);
    }
    const a = allocate(messages, tls);
    if (a.problem !== null) this.ctx.diags.add('count_mismatch', line, `row ${rowNo} (${sender}): ${a.problem}`);
    const hasTls13 = this.has('tls13');
    const counts: BucketValues = {
      none: null,
      tls10: a.counts[0],
      tls11: a.counts[1],
      tls12: a.counts[2],
      tls13: hasTls13 ? a.counts[3] : null,
      unknown: a.unknown,
    };
    const percents: BucketValues = {
      none: null,
      tls10: tls[0].pct,
      tls11: tls[1].pct,
      tls12: tls[2].pct,
      tls13: hasTls13 ? tls[3].pct : null,
      unknown: null,
    };
    const domainCell = this.cell(cells, 'domain');
    const at = sender.lastIndexOf('@');
    this.ctx.reports?.push({
      kind: 'exo-smtp-auth',
      sender,
      domain: domainCell !== '' ? domainCell.toLowerCase() : at > 0 ? sender.slice(at + 1) : null,
      period,
      periodSource,
      messages,
      counts,
      percents,
      estimated: a.estimated ? 1 : 0,
      line,
      exportedMs: this.ctx.mtimeMs ?? 0,
    });
    this.records++;
  }
}

export const exoSmtpAuthReportFormat: FormatDef = {
  name: 'exo-smtp-auth-report',
  sniff(head) {
    return looksLike(head, SMTP_AUTH_COLUMNS, ['sender'], ['tls10', 'tls11', 'tls12', 'tls13', 'messages']);
  },
  create(ctx, state) {
    return new SmtpAuthParser(ctx, (state as SmtpAuthState | null) ?? null);
  },
};
