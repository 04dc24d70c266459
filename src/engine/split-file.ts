// One large IIS log is cut into byte ranges at line starts so that several workers parse it at once. Each range
// starts with the parser state its position would have (from the directive lines before it); the batches of a
// range are committed only after every earlier range, so the file's stored position stays a contiguous prefix.
import { UsageAggregator } from '../aggregate/usage.js';
import { DiagnosticCounter } from '../aggregate/diagnostics.js';
import type { FormatDef } from '../formats/types.js';
import { lineStartAfter } from '../sources/file-reader.js';
import type { FoundFile } from '../sources/walk.js';
import type { FileRecord } from '../store/store.js';
import type { Batch } from './parse-session.js';
import type { ParsePool } from './worker-pool.js';

/** Files with less than this left to read are not split (one worker reads them). */
export const SPLIT_BYTES = 64 << 20;
/** How far past a nominal cut to look for the next line start. */
const BOUNDARY_WINDOW = 2 << 20;

export interface Range {
  readonly start: number;
  /** Exclusive; undefined for the last range, which reads to the end of the file as it is then. */
  readonly end?: number;
  readonly state: unknown;
}

/** "date" and "time" in a #Fields value: ranges may start anywhere only when no line takes its date from #Date. */
const hasDateAndTime = (fields: string): boolean => {
  const names = fields.trim().toLowerCase().split(/\s+/);
  return names.includes('date') && names.includes('time');
};

/** The ranges of `file` from `record.consumed`, or null when it is not worth or not safe to split. */
export async function planRanges(
  file: FoundFile,
  record: FileRecord,
  format: FormatDef,
  pool: ParsePool,
  fieldMap: Readonly<Record<string, string>>,
  splitBytes = SPLIT_BYTES,
): Promise<Range[] | null> {
  const left = file.size - record.consumed;
  if (pool.size < 2 || format.name !== 'iis-w3c' || left < 2 * splitBytes) return null;
  const count = Math.min(Math.ceil(left / splitBytes), 4 * pool.size);
  const cuts: number[] = [record.consumed];
  for (let i = 1; i < count; i++) {
    const at = await lineStartAfter(file.path, record.consumed + Math.floor((left * i) / count), BOUNDARY_WINDOW);
    if (at === null) return null; // no newline in the window: a huge line, leave the file whole
    if (at > cuts[cuts.length - 1] && at < file.size) cuts.push(at);
  }
  if (cuts.length < 2) return null;
  const lists = await Promise.all(cuts.slice(0, -1).map((start, i) => pool.directives(file, start, cuts[i + 1])));
  // Replay the directives in order on a parser to learn the state at each cut.
  const replay = format.create(
    {
      file: file.path, hints: { server: null, serverOrigin: null, site: null, folders: [] }, fieldMap,
      agg: new UsageAggregator(), diags: new DiagnosticCounter(file.path),
    },
    record.state,
  );
  const first = record.state as { fields?: string | null } | null;
  if (first?.fields && !hasDateAndTime(first.fields)) return null;
  const ranges: Range[] = [{ start: cuts[0], end: cuts[1], state: record.state }];
  for (let i = 1; i < cuts.length; i++) {
    for (const d of lists[i - 1]) {
      const fields = /^#\s*fields\s*:(.*)$/i.exec(d.text);
      if (fields && !hasDateAndTime(fields[1])) return null;
      replay.line(d.text, 0);
    }
    ranges.push({ start: cuts[i], end: cuts[i + 1], state: replay.saveState() });
  }
  return ranges;
}

/**
 * Commits the batches of ranges in file order: a range's line numbers, records and bad lines count on from
 * where the previous range ended, and only the last batch of the last range is the input's last.
 */
export class RangeSequencer {
  private current = 0;
  private readonly queued: Batch[][];
  private base = { lines: 0, records: 0, badLines: 0 };

  constructor(
    private readonly count: number,
    private readonly commit: (b: Batch) => void,
  ) {
    this.queued = Array.from({ length: count }, () => []);
  }

  push(range: number, batch: Batch): void {
    this.queued[range].push(batch);
    while (this.current < this.count) {
      const next = this.queued[this.current].shift();
      if (next === undefined) return;
      this.apply(this.current, next); // advances `current` after a range's last batch
    }
  }

  private apply(range: number, b: Batch): void {
    const lastRange = range === this.count - 1;
    const base = this.base;
    const shifted: Batch =
      range === 0
        ? { ...b, last: b.last && lastRange, complete: b.complete && lastRange }
        : {
            ...b,
            lines: base.lines + b.lines,
            records: base.records + b.records,
            badLines: base.badLines + b.badLines,
            diagnostics: b.diagnostics.map((d) => ({ ...d, firstLine: base.lines + d.firstLine })),
            last: b.last && lastRange,
            complete: b.complete && lastRange,
          };
    this.commit(shifted);
    if (b.last && !lastRange) {
      this.base = { lines: shifted.lines, records: shifted.records, badLines: shifted.badLines };
      this.current++;
    }
  }
}
