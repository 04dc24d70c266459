// Which protocol labels count as legacy (and as modern): the one definition. Code asks isLegacyProtocol; SQL uses
// the lists and the per-protocol hit columns generated here, never the labels typed again.
import type { ProtocolLabel } from './tables.js';

/** The source of Entra ID sign-ins, the only one whose labels below say less than a version. */
export const ENTRA_SOURCE = 'entra-signin';
/** An Entra ID sign-in flagged "Legacy TLS (TLS 1.0, 1.1, 3DES)": Microsoft does not say which of the three. */
export const ENTRA_LEGACY_LABEL = 'TLS 1.0/1.1 or 3DES' satisfies ProtocolLabel;
/** An Entra ID sign-in whose processing details carry no legacy flag: TLS 1.2 or later, the version not said. */
export const ENTRA_MODERN_LABEL = 'TLS 1.2+' satisfies ProtocolLabel;

export const LEGACY_PROTOCOLS = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', ENTRA_LEGACY_LABEL] as const satisfies readonly ProtocolLabel[];
export const MODERN_PROTOCOLS = ['TLS 1.2', 'TLS 1.3', ENTRA_MODERN_LABEL] as const satisfies readonly ProtocolLabel[];
export type LegacyProtocol = (typeof LEGACY_PROTOCOLS)[number];

/**
 * The column of legacy_clients (and the report's window) that counts each legacy version's hits. The Entra ID label
 * has none: its hits are `legacy_hits` less these columns.
 */
export const LEGACY_HIT_COLUMNS = {
  'SSL 2.0': 'ssl2_hits',
  'SSL 3.0': 'ssl3_hits',
  'TLS 1.0': 'tls10_hits',
  'TLS 1.1': 'tls11_hits',
} as const satisfies Record<Exclude<LegacyProtocol, typeof ENTRA_LEGACY_LABEL>, string>;

const LEGACY_SET: ReadonlySet<string> = new Set(LEGACY_PROTOCOLS);

export function isLegacyProtocol(p: string): boolean {
  return LEGACY_SET.has(p);
}

/** An SQL string literal (quotes doubled): only for constants of the code, never for log text. */
export const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const sqlList = (labels: readonly string[]): string => `(${labels.map(sqlText).join(', ')})`;

/** `('SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1')`, for `protocol IN …`. */
export const LEGACY_SQL_LIST = sqlList(LEGACY_PROTOCOLS);
export const MODERN_SQL_LIST = sqlList(MODERN_PROTOCOLS);

/** `sum(CASE WHEN protocol = 'SSL 2.0' THEN hits ELSE 0 END) AS ssl2_hits,` … one line per legacy protocol. */
export function legacyHitColumnsSql(indent: string): string {
  return Object.entries(LEGACY_HIT_COLUMNS)
    .map(([label, column]) => `${indent}sum(CASE WHEN protocol = ${sqlText(label)} THEN hits ELSE 0 END) AS ${column},`)
    .join('\n');
}
