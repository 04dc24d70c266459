// Which protocol labels count as legacy (and as modern) in SQL written by the store, runs and thresholds.
// The labels are those of tls/decode.ts; the legacy_clients view uses the same list.

export const LEGACY_PROTOCOL_LABELS = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1'] as const;
export const MODERN_PROTOCOL_LABELS = ['TLS 1.2', 'TLS 1.3'] as const;

const sqlList = (labels: readonly string[]): string => `(${labels.map((l) => `'${l}'`).join(', ')})`;

/** `('SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1')`, for `protocol IN …`. */
export const LEGACY_SQL_LIST = sqlList(LEGACY_PROTOCOL_LABELS);
export const MODERN_SQL_LIST = sqlList(MODERN_PROTOCOL_LABELS);
