// How a file's content is recognised again: the hash of the bytes before its read position, and marks along it.
// Apart from store.ts so the parse worker can use them without loading the database code.

/** The bytes just before the read position whose hash proves, on resume, that the file is still the same. */
export const TAIL_BYTES = 4096;
/** Every MARK_INTERVAL bytes the hash of the TAIL_BYTES before that offset is kept, to recognise a shorter copy. */
export const MARK_INTERVAL = 256 * 1024;

export interface ContentMark {
  readonly offset: number;
  readonly hash: string;
}
