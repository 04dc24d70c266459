// Rows read from Exchange Online report exports, kept by identity: a newer export replaces a row, never adds to it.
// The EXO parsers fill a ReportRowBuffer; the store writes it in the file checkpoint's transaction (store/exo-rows.ts).

/** Where a SMTP AUTH report's period came from: the exports themselves carry no dates. */
export type PeriodSource = 'option' | 'file name' | 'file modified';

/** Inclusive, YYYY-MM-DD (UTC days). */
export interface ReportPeriod {
  readonly start: string;
  readonly end: string;
}

/** Message buckets of a report row: one per TLS column, plus `unknown` for messages in no TLS column. */
export const TLS_BUCKETS = ['none', 'tls10', 'tls11', 'tls12', 'tls13', 'unknown'] as const;
export type TlsBucket = (typeof TLS_BUCKETS)[number];

/** The usage.protocol each bucket is stored under. */
export const BUCKET_PROTOCOL = {
  none: 'none',
  tls10: 'TLS 1.0',
  tls11: 'TLS 1.1',
  tls12: 'TLS 1.2',
  tls13: 'TLS 1.3',
  unknown: 'unknown',
} as const satisfies Record<TlsBucket, string>;

/** Per bucket: a value, or null when the export has no such column (or the cell gave no value of this kind). */
export type BucketValues = Readonly<Record<TlsBucket, number | null>>;

interface RowCommon {
  /** Messages per bucket; they add up to the row's total exactly. */
  readonly counts: BucketValues;
  /** Percentages as exported (0..100), null where a cell held none. */
  readonly percents: BucketValues;
  /** 1 when any count was derived from a percentage. */
  readonly estimated: 0 | 1;
  /** Line of the row in its file. */
  readonly line: number;
  /** Modification time of the export file (ms): of two exports for the same identity, the newer wins. */
  readonly exportedMs: number;
}

export interface SmtpAuthReportRow extends RowCommon {
  readonly kind: 'exo-smtp-auth';
  /** Sender address in lower case (the identity ignores case). */
  readonly sender: string;
  readonly domain: string | null;
  readonly period: ReportPeriod;
  readonly periodSource: PeriodSource;
  readonly messages: number;
}

export interface ConnectorReportRow extends RowCommon {
  readonly kind: 'exo-connector';
  readonly day: string;
  /** "Connector direction and name" as exported. */
  readonly connector: string;
  /** "Connector type" as exported, '' when the export has no such column. */
  readonly connectorType: string;
  /** From a Direction column, the connector text or the file name; '' when none says. */
  readonly direction: 'inbound' | 'outbound' | '';
  readonly forcedTls: 0 | 1 | null;
  readonly volume: number;
}

export type ReportRow = SmtpAuthReportRow | ConnectorReportRow;

/** Rows gathered since the last checkpoint. */
export class ReportRowBuffer {
  private rows: ReportRow[] = [];

  get size(): number {
    return this.rows.length;
  }

  push(row: ReportRow): void {
    this.rows.push(row);
  }

  /** Hands out every row and starts empty. */
  drain(): ReportRow[] {
    const out = this.rows;
    this.rows = [];
    return out;
  }
}
