// Once per scan, after every read of a format whose sessions continue across files (Exchange SMTP, POP3/IMAP4): the
// pending sessions idle for an hour by the scan's clock are counted, and counted ones the logs have moved a week past
// are dropped (SessionTable.sweepPending). Done here, not at the end of each read, so that reads of different
// servers' files can run at once on parse workers and give the database one thread gives: no read touches the
// sessions another read left pending.
import { DiagnosticCounter } from '../aggregate/diagnostics.js';
import { UsageAggregator } from '../aggregate/usage.js';
import type { FormatDef } from '../formats/types.js';
import type { PendingDelta } from '../store/pending-sessions.js';
import { pendingTable } from '../store/pending-sessions.js';
import type { Store } from '../store/store.js';
import { pathHints, type ServerNaming } from './path-hints.js';

export class PendingSweep {
  /** Format → the newest event its reads of this scan saw ('' when they saw none). */
  private readonly newest = new Map<string, string>();

  /** A committed batch: a read of its format that ended says what it saw. */
  note(delta: PendingDelta | undefined): void {
    if (delta?.newest === undefined) return;
    const seen = this.newest.get(delta.format);
    if (seen === undefined || delta.newest > seen) this.newest.set(delta.format, delta.newest);
  }

  /** After every read: one transaction per format read, with the rows of the sessions it counts. */
  run(store: Store, formats: readonly FormatDef[], now: Date, naming: ServerNaming): void {
    for (const [name, newest] of this.newest) {
      const format = formats.find((f) => f.name === name);
      if (format === undefined) continue;
      const table = pendingTable(store);
      table.forget(name); // parse workers changed the sessions: read them from the database
      const pending = table.scope(name);
      const agg = new UsageAggregator();
      const ctx = {
        file: '', hints: pathHints('', [], naming), fieldMap: {}, agg, diags: new DiagnosticCounter(''), pending,
      };
      format.create(ctx, null).sweepPending?.(now, newest);
      const delta = pending.drain();
      const rows = agg.drain();
      if (rows.length > 0 || (delta !== undefined && delta.put.length + delta.del.length > 0)) {
        store.commitSessions(rows, delta);
      }
      table.forget(name);
    }
    this.newest.clear();
  }
}
