// Reads one JSON document input (formats with `document`, such as Entra ID sign-in exports) from its first byte to
// its end, committing what was counted in batches. Unlike line formats it keeps no read position inside the file:
// its records carry their own identity (sign-in ids), so a document read again, wholly or after a crash, adds nothing.
import { ReportRowBuffer } from '../aggregate/report-rows.js';
import { BATCH_BYTES, UsageAggregator } from '../aggregate/usage.js';
import { DiagnosticCounter } from '../aggregate/diagnostics.js';
import type { DocumentReader, FormatDef } from '../formats/types.js';
import type { ScanInput } from '../sources/plain-input.js';
import type { SignInLedger } from '../store/signin-ledger.js';
import type { FileRecord } from '../store/store.js';
import { ContentTracker } from './content-tracker.js';
import type { Batch, SessionLimits } from './parse-session.js';
import { pathHints } from './path-hints.js';

export async function runDocumentSession(
  input: ScanInput,
  format: FormatDef & { readonly document: NonNullable<FormatDef['document']> },
  record: FileRecord,
  limits: SessionLimits,
  emit: (batch: Batch) => void,
  tick: (consumed: number, lines: number) => void,
  signIns?: SignInLedger,
): Promise<void> {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter(input.path);
  const reports = new ReportRowBuffer();
  const reader: DocumentReader = format.document({
    file: input.path, hints: pathHints(input.path, input.folders, limits.naming), fieldMap: limits.fieldMap, agg, diags,
    reportPeriod: limits.reportPeriod, mtimeMs: input.mtimeMs, reports, signIns, tenant: limits.tenant,
  });
  const tracker = new ContentTracker(0, Buffer.alloc(0));
  let read = 0;
  const flush = (last: boolean, complete: boolean): void => {
    const consumed = last && complete ? read : record.consumed;
    emit({
      rows: agg.drain(),
      reports: reports.drain(),
      signIns: signIns?.drain(),
      consumed,
      lines: last ? reader.lines : record.lines,
      held: 0,
      records: reader.records,
      badLines: diags.total,
      tlsFields: true,
      state: reader.saveState(),
      diagnostics: diags.drain(),
      tailHash: consumed === record.consumed ? record.tailHash : tracker.tailHash(consumed),
      marks: last && complete ? tracker.takeMarks(consumed) : [],
      last,
      complete: last && complete,
    });
  };
  const between = (): void => {
    if (agg.size >= limits.flushRows || agg.bytes >= BATCH_BYTES || (signIns?.size ?? 0) >= limits.flushRows) flush(false, false);
  };
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of await input.open(0)) {
      tracker.push(chunk);
      read += chunk.length;
      yield chunk;
    }
  }
  async function* again(start: number): AsyncGenerator<Buffer> {
    yield* (await input.open(start)) as AsyncIterable<Buffer>;
  }
  let complete = false;
  try {
    await reader.read(counted(), (bytes) => tick(bytes, reader.lines), between, again);
    complete = input.compressed || limits.nowMs - input.mtimeMs > limits.settleMs;
  } catch (err) {
    diags.add('read_error', reader.lines, `read stopped: ${(err as Error).message}`);
  }
  flush(true, complete);
}
