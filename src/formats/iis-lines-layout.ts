// The memory layout of the IIS line engine, declared once: byte offsets read by both sides, the AssemblyScript loop
// (iis-lines.as.ts, which also checks its record classes against these offsets when it compiles) and its driver
// (iis-lines.ts). Plain integer constants only, so that both compilers read this file.

/** Per field index, its kind: 0 plain, FIELD_KEY (hashed), FIELD_LONG (read to the next space); MAX_FIELDS + 1 bytes. */
export const KINDS = 0;
export const MAX_FIELDS = 500;
/** Key runs: a count, then (first, last) field index pairs of adjacent key fields. */
export const RUNS = 512;
export const MAX_RUNS = 60;
/** The start of each field of the line last split, and pos[n] = line end + 1; 4 bytes each. */
export const POS = 1024;
/** The last date's 10 bytes (16 reserved). */
export const LAST_DATE = 5120;

// Globals, 4 bytes each: G_ set by the driver, O_ written by the loop.
export const G_DAY = 5136; // day id of LAST_DATE, -1 for none
export const G_N = 5140; // field count
export const G_DATE = 5144; // field indexes of date, time, stem, status (-1: not logged)
export const G_TIME = 5148;
export const G_STEM = 5152;
export const G_STATUS = 5156;
export const G_COUNT = 5160; // entries in use
export const G_ARENA = 5164; // top of the key arena
export const O_HASH = 5168; // the last line's key hash
export const O_EP = 5172; // the last line's endpoint index
export const O_SEC = 5176; // the last line's second of the day
export const O_END = 5180; // end of the line a run stopped at (before CR LF)
export const O_NEXT = 5184; // start of the line after it
export const G_MAXLINE = 5188; // longest line a run counts
export const O_RESULT = 5192; // what line() gave for the line a run stopped at, 0 when it ran out of lines
export const O_START = 5196; // start of that line

/** Endpoint segments: a count, then records of SEGMENT_BYTES: length, endpoint index, lower-case bytes. */
export const SEGMENTS = 5200;
export const SEGMENT_BYTES = 40;
export const SEGMENT_NAME = 8;

/** Hash slots, 4 bytes each: entry index + 1, 0 for empty. */
export const SLOTS = 8192;
export const SLOT_MASK = 131071;

/** Entry records of ENTRY_BYTES; the offsets of their fields. */
export const ENTRIES = 532480;
export const MAX_ENTRIES = 65536;
export const ENTRY_BYTES = 48;
export const ENTRY_HASH = 0;
export const ENTRY_DAY = 4;
export const ENTRY_ENDPOINT = 8;
export const ENTRY_KEY_AT = 12;
export const ENTRY_KEY_LENGTH = 16;
export const ENTRY_HITS = 20;
export const ENTRY_AUTH_FAILURES = 24;
export const ENTRY_ERRORS = 28;
export const ENTRY_FIRST_SEC = 32;
export const ENTRY_LAST_SEC = 36;

/** The input buffer (a line's fields are read up to 16 bytes past its end, into the arena: always in memory). */
export const INPUT = 3678208;
export const INPUT_BYTES = 4194304;
/** The key arena, up to the end of memory (grown by the driver). */
export const ARENA = 7872512;
/** Initial memory, in 64 KiB pages (scripts/build-wasm.mjs). */
export const MEMORY_PAGES = 160;
