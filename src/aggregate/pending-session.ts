// Multi-line sessions (Exchange SMTP, POP3/IMAP4) still open where a read stopped: the shape the session parsers
// keep them in and the store keeps them as (table pending_sessions). Types only: both sides import them from here.

/** A multi-line session (Exchange SMTP, POP3/IMAP4) still open where a read stopped, kept in pending_sessions. */
export interface PendingSession {
  /** Its last event, ISO 8601 UTC as logged. */
  readonly lastSeen: string;
  /** Already added to usage after an hour without events: a continuation first takes that hit back. */
  readonly counted: boolean;
  /** The format's own JSON-serializable session state. */
  readonly state: unknown;
}

/** Open sessions of one format, shared by all its files and kept between scans. */
export interface PendingSessions {
  /** Removes and returns the session kept under `key`. */
  take(key: string): PendingSession | undefined;
  put(key: string, session: PendingSession): void;
  /** A snapshot of every pending session of the format. */
  entries(): [string, PendingSession][];
  /** The newest event a read of the format saw (the scan's sweep of pending sessions goes by the newest of all). */
  saw?(ts: string): void;
}
