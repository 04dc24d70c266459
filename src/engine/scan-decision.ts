// What the scan does with one input: unchanged, skipped, unreadable, or read from a stored position with a format.
// `look` gathers the facts (a few KiB read, the store's records asked; it writes nothing), `decide` turns them into
// the decision without any reading or writing, so the scheduler and the committer act on one answer.
import type { FormatDef } from '../formats/types.js';
import type { ScanInput } from '../sources/plain-input.js';
import { FINGERPRINT_BYTES, type FileRecord, type Store } from '../store/store.js';
import { identifyFile, type FileIdentity } from './file-identity.js';
import { HEAD_BYTES, sniff, type Sniffed } from './sniff.js';
import type { ScanOptions } from './scan-options.js';

/** What is known of an input before deciding. */
export type Facts =
  | { readonly kind: 'error'; readonly message: string }
  /** A compressed input whose packed identity was read to its end before: not even inflated. */
  | { readonly kind: 'packed-known'; readonly record: FileRecord }
  | {
      readonly kind: 'identified';
      readonly container: string | null;
      readonly head: Buffer;
      readonly identity: FileIdentity;
      /** Only for new content: what its first bytes say (and how many bytes were looked at). */
      readonly sniffed: Sniffed | null;
      readonly sniffedBytes: number;
    };

/** New content to read: the format its first bytes name, and the layout and start state when they had no directives. */
export interface ReadNew {
  readonly format: FormatDef;
  readonly layout: string | null;
  readonly state: unknown;
}

export type Decision =
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'unchanged'; readonly record: FileRecord; readonly container: string | null }
  | { readonly kind: 'skip'; readonly reason: string; readonly bytes: number }
  /** Read on from a stored record. */
  | { readonly kind: 'resume'; readonly format: FormatDef; readonly record: FileRecord; readonly head: Buffer; readonly container: string | null }
  /** New content: read into a new record. */
  | { readonly kind: 'read-new'; readonly fresh: ReadNew; readonly head: Buffer; readonly container: string | null };

const cannotRead = (err: unknown): Facts => ({ kind: 'error', message: `cannot read: ${(err as Error).message}` });

/** Reads what the decision needs: the packed identity, the head, the stored file it is, and for new content its format. */
export async function look(store: Store, input: ScanInput, opts: ScanOptions, formats: readonly FormatDef[]): Promise<Facts> {
  try {
    const container = await input.container();
    const known = container === null ? null : store.byContainer(container);
    if (known) return { kind: 'packed-known', record: known };
    const head = await input.head(FINGERPRINT_BYTES);
    const identity = await identifyFile(store, input, head);
    if (identity.kind !== 'new') return { kind: 'identified', container, head, identity, sniffed: null, sniffedBytes: 0 };
    const sniffHead = head.length < FINGERPRINT_BYTES ? head : await input.head(HEAD_BYTES);
    const sniffed = sniff(sniffHead, formats, { folders: input.folders, logType: opts.logType ?? null, fields: opts.fields ?? null });
    return { kind: 'identified', container, head, identity, sniffed, sniffedBytes: sniffHead.length };
  } catch (err) {
    return cannotRead(err);
  }
}

/** The stored record the facts name, if any (the scheduler waits while another path reads it). */
export function recordOf(facts: Facts): FileRecord | null {
  if (facts.kind === 'packed-known') return facts.record;
  if (facts.kind === 'identified' && facts.identity.kind !== 'new') return facts.identity.record;
  return null;
}

/** The decision for an input of `size` bytes (null: unknown, gzip) from its facts. Pure. */
export function decide(size: number | null, facts: Facts, formats: readonly FormatDef[]): Decision {
  if (facts.kind === 'error') return { kind: 'fail', message: facts.message };
  if (facts.kind === 'packed-known') return { kind: 'unchanged', record: facts.record, container: null };
  const { identity, container, head } = facts;
  if (identity.kind === 'contained') return { kind: 'unchanged', record: identity.record, container };
  if (identity.kind === 'same') {
    const record = identity.record;
    if (size !== null && record.consumed >= size) return { kind: 'unchanged', record, container };
    const format = formats.find((f) => f.name === record.format);
    if (format === undefined) return { kind: 'fail', message: `cannot read: format ${record.format} is not known to this tls-census` };
    return { kind: 'resume', format, record, head, container };
  }
  const sniffed = facts.sniffed;
  if (sniffed === null) return { kind: 'fail', message: 'cannot read: the format was not looked for' };
  if ('skip' in sniffed) return { kind: 'skip', reason: sniffed.skip, bytes: size ?? facts.sniffedBytes };
  const fresh = { format: sniffed.format, layout: sniffed.start?.layout ?? null, state: sniffed.start?.state };
  return { kind: 'read-new', fresh, head, container };
}
