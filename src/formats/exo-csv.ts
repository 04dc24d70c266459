// The CSV side of Exchange Online report exports: header aliases, `,`/`;`/tab delimiters, an Excel "sep=" line,
// quoted cells (csv-parse), cells continuing over several lines. Shared by the SMTP AUTH and connector parsers.
// It turns lines into named cells; what a row means is up to the format using it.
import { parse, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

/** A column a report format knows, under every spelling seen or expected. */
export interface ColumnSpec {
  readonly key: string;
  /** The documented header, used in messages. */
  readonly label: string;
  readonly aliases: readonly string[];
  readonly required: boolean;
}

/** Headers compare case- and space-insensitively (also ignoring quotes and a stray BOM). */
export const normHeader = (s: string): string => s.replace(/[\s"\ufeff\u00a0]+/g, '').toLowerCase();

/** Spellings of a TLS version column: "TLS 1.0", "TLS1.0%", "TLS1.0", "TLS 1.0 (%)", "TLSv1.0". */
export function tlsAliases(version: string): string[] {
  return [`TLS ${version}`, `TLS${version}%`, `TLS ${version} (%)`, `TLS ${version} %`, `TLSv${version}`];
}

const DELIMITERS = [',', ';', '\t'] as const;
const SEP_LINE = /^"?sep=(.)"?\s*$/i;

/** Cells of one complete record line; csv-parse only when the line holds a quote. */
export function splitLine(text: string, delimiter: string): string[] {
  if (!text.includes('"')) return text.split(delimiter);
  try {
    const rows = parseSync(text, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    return text.split(delimiter);
  }
}

export interface Header {
  readonly delimiter: string;
  /** Column key → cell index. */
  readonly columns: Readonly<Record<string, number>>;
  readonly found: readonly string[];
  readonly missing: readonly ColumnSpec[];
  /** Columns of `specs` present. */
  readonly matched: number;
}

/** Binds a header line to the specs; `delimiter` null tries each and keeps the one matching most columns. */
export function readHeader(text: string, specs: readonly ColumnSpec[], delimiter: string | null): Header {
  let best: Header | null = null;
  for (const d of delimiter === null ? DELIMITERS : [delimiter]) {
    const found = splitLine(text, d).map((c) => c.trim());
    const names = found.map(normHeader);
    const columns: Record<string, number> = {};
    const missing: ColumnSpec[] = [];
    for (const spec of specs) {
      const at = names.findIndex((n) => spec.aliases.some((a) => normHeader(a) === n));
      if (at >= 0) columns[spec.key] = at;
      else if (spec.required) missing.push(spec);
    }
    const h = { delimiter: d, columns, found, missing, matched: Object.keys(columns).length };
    if (best === null || h.matched > best.matched) best = h;
  }
  return best as Header;
}

/** The header line among a file's first lines (after blank lines and an Excel "sep=;" line), with its delimiter. */
export function headerLine(head: readonly string[]): { text: string; delimiter: string | null } | null {
  let delimiter: string | null = null;
  for (const line of head) {
    if (line.trim() === '') continue;
    const sep = SEP_LINE.exec(line);
    if (sep && delimiter === null) {
      delimiter = sep[1];
      continue;
    }
    return { text: line, delimiter };
  }
  return null;
}

/** Does a file look like this report: a header with an anchor column and some evidence column? */
export function looksLike(head: readonly string[], specs: readonly ColumnSpec[], anchors: readonly string[], evidence: readonly string[]): boolean {
  const line = headerLine(head);
  if (line === null || line.text.startsWith('#')) return false;
  const h = readHeader(line.text, specs, line.delimiter);
  return anchors.some((k) => k in h.columns) && evidence.some((k) => k in h.columns);
}

/** Lines of one record so far, when a quoted cell runs past the end of a line. */
export interface PendingRecord {
  readonly lines: readonly string[];
  readonly firstLine: number;
}

/** Is a quoted cell still open at the end of `text`? (RFC 4180: quotes open only at the start of a cell.) */
function endsInsideQuotes(text: string, delimiter: string): boolean {
  let inQuotes = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c !== '"') continue;
      if (text[i + 1] === '"') i++;
      else inQuotes = false;
    } else if (c === delimiter) {
      cellStart = true;
      continue;
    } else if (c === '"' && cellStart) {
      inQuotes = true;
    }
    cellStart = false;
  }
  return inQuotes;
}

/** A record longer than this many lines is taken for an unclosed quote. */
const MAX_RECORD_LINES = 20;

export type RecordEvent =
  | { readonly kind: 'record'; readonly cells: string[]; readonly line: number }
  | { readonly kind: 'unclosed'; readonly line: number };

/** Lines → records. Quote-free lines are split directly; others go through one csv-parse stream per file. */
export class RecordReader {
  private parser: Parser | null = null;

  constructor(
    private readonly delimiter: string,
    public pending: PendingRecord | null,
  ) {}

  /** The records completed by this line (none while a quoted cell continues). */
  push(text: string, lineNo: number, out: RecordEvent[]): void {
    const lines = this.pending ? [...this.pending.lines, text] : [text];
    const first = this.pending ? this.pending.firstLine : lineNo;
    const joined = lines.join('\n');
    if (endsInsideQuotes(joined, this.delimiter)) {
      if (lines.length < MAX_RECORD_LINES) {
        this.pending = { lines, firstLine: first };
        return;
      }
      this.pending = null; // give up on the opening line and read the others again
      out.push({ kind: 'unclosed', line: first });
      for (let i = 1; i < lines.length; i++) this.push(lines[i], first + i, out);
      return;
    }
    this.pending = null;
    if (joined.trim() === '') return;
    out.push({ kind: 'record', cells: this.split(joined), line: first });
  }

  private split(text: string): string[] {
    if (!text.includes('"')) return text.split(this.delimiter);
    if (this.parser === null || this.parser.destroyed) {
      this.parser = parse({
        delimiter: this.delimiter,
        record_delimiter: '\n',
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
      });
      this.parser.on('error', () => undefined); // seen as `destroyed` below
    }
    // Trailing blank lines let csv-parse close the record now: it holds back the last few bytes of a chunk.
    this.parser.write(text + '\n\n\n\n');
    const cells = this.parser.destroyed ? null : (this.parser.read() as string[] | null);
    return cells ?? splitLine(text, this.delimiter);
  }
}
