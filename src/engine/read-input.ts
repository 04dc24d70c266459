// Reads one input in this thread (formats that keep state in the database, compressed inputs, small files,
// --jobs 1) through a line or document session, handing its batches to the committer's sink.
import { pendingTable } from '../store/pending-sessions.js';
import { SignInLedger } from '../store/signin-ledger.js';
import type { Store } from '../store/store.js';
import type { ParseEngines } from '../formats/types.js';
import { runDocumentSession } from './document-session.js';
import { runSession, type SessionLimits } from './parse-session.js';
import { localHostName } from './path-hints.js';
import type { BatchSink, ReadTarget } from './scan-commit.js';
import type { ScanOptions } from './scan-options.js';

export function sessionLimits(opts: ScanOptions): SessionLimits {
  return {
    fieldMap: opts.fieldMap,
    naming: { serverName: opts.serverName ?? null, hostName: opts.hostName ?? localHostName() },
    reportPeriod: opts.reportPeriod,
    tenant: opts.tenant,
    nowMs: opts.now.getTime(),
    settleMs: opts.settleMs,
    flushRows: opts.flushRows,
    flushLines: opts.flushLines,
  };
}

export async function readInput(
  store: Store, opts: ScanOptions, target: ReadTarget, sink: BatchSink,
  /** The engines this thread's parse sessions share (see session-parser.ts). */
  engines?: ParseEngines,
): Promise<void> {
  const { commit, progress } = sink;
  const pending = pendingTable(store).scope(target.format.name);
  const signIns = target.format.name.startsWith('entra-') ? new SignInLedger(store.db) : undefined;
  const { input, format, record } = target;
  if (format.document !== undefined) {
    await runDocumentSession(input, { ...format, document: format.document }, record, sessionLimits(opts), commit, progress, signIns);
  } else {
    await runSession(input, format, record, sessionLimits(opts), commit, progress, pending, signIns, engines);
  }
}
