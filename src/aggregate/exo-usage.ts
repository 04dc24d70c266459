// Exchange Online report rows → usage rows: one per TLS bucket with messages, under the server "Exchange Online",
// and the identity by which the usage rows of an earlier export of the same report row are found. The store writes
// what this decides (store/exo-rows.ts); it holds no SQL.
import { BUCKET_PROTOCOL, TLS_BUCKETS, type ReportRow } from './report-rows.js';
import { usageDims } from './usage-dims.js';
import type { UsageRow } from './usage.js';

/** usage.server of every Exchange Online row. */
export const EXO_SERVER = 'Exchange Online';
/** usage.endpoint of SMTP AUTH rows. */
export const SMTP_AUTH_ENDPOINT = 'SMTP AUTH';
/** usage.protocol_code of the `unknown` bucket: messages of the total that no TLS column accounts for. */
export const NO_TLS_COLUMN = 'no TLS column';

/** usage.detail of a SMTP AUTH row: keeps two periods that end on the same day apart. */
export const periodDetail = (start: string, end: string): string => `period ${start}..${end}`;

/** Dimensions that, with the day and source, tell the usage rows of one report row from the others'. */
export type IdentityDim = 'site' | 'username' | 'endpoint' | 'detail';

export interface ExoUsage {
  readonly day: string;
  readonly source: string;
  /** Stored usage rows of this day and source with these values came from an export of the same report row. */
  readonly identity: Readonly<Partial<Record<IdentityDim, string | null>>>;
  readonly rows: readonly UsageRow[];
}

export function exoUsage(r: ReportRow): ExoUsage {
  if (r.kind === 'exo-smtp-auth') {
    const { start, end } = r.period;
    const detail = periodDetail(start, end);
    return {
      day: end, source: r.kind, identity: { username: r.sender, detail },
      rows: bucketRows(r, end, null, r.sender, SMTP_AUTH_ENDPOINT, detail, `${start}T00:00:00Z`, `${end}T23:59:59Z`),
    };
  }
  // The usage rows' endpoint and detail are the type and direction, NULL when empty. The connector is also the row's
  // `username`: it is the client here. Without one, legacy_clients would fold every connector into a single row, and
  // its noise rule would take a no-user, no-agent row for a health check.
  const endpoint = r.connectorType || null;
  const detail = r.direction || null;
  return {
    day: r.day, source: r.kind, identity: { site: r.connector, endpoint, detail },
    rows: bucketRows(r, r.day, r.connector, r.connector, endpoint, detail, `${r.day}T00:00:00Z`, `${r.day}T23:59:59Z`),
  };
}

/** One usage row per bucket with messages. */
function bucketRows(
  r: ReportRow, day: string, site: string | null, username: string | null, endpoint: string | null, detail: string | null,
  first: string, last: string,
): UsageRow[] {
  const out: UsageRow[] = [];
  for (const b of TLS_BUCKETS) {
    const hits = r.counts[b];
    if (hits === null || hits <= 0) continue;
    const protocolCode = b === 'unknown' ? NO_TLS_COLUMN : null;
    out.push({
      dims: usageDims({ day, source: r.kind, server: EXO_SERVER, site, username, endpoint, protocol: BUCKET_PROTOCOL[b], protocolCode, detail }),
      hits, authFailures: 0, errors: 0, estimated: r.estimated, firstSeen: first, lastSeen: last,
    });
  }
  return out;
}
