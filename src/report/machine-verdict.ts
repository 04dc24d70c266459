// The verdict per machine: "can TLS 1.0/1.1 be disabled on EXCH01?" over every source of that machine (all IIS sites,
// SMTP connectors, POP3/IMAP4, HTTP.sys; a tenant for cloud sources), with the per-source verdicts beneath as
// evidence. Schannel is switched per machine, so this is the answer reports lead with and thresholds count.
// Pure over the site verdicts (breakdowns.ts) and the days observed; reused by the remediation plan.
import type { Db } from '../store/open-database.js';
import { dayCondition, keyCondition, usageCondition, type ReportFilter, type SqlValue } from './filter.js';
import { keyedRows } from '../store/usage-by-key.js';
import type { MachineBlocker, MachineUnknown, MachineVerdict, SiteVerdict, Verdict } from './model.js';
import { num } from './strings.js';

/** --min-days: a yes over fewer observed days says so (monthly jobs, travelling staff are not seen in two days). */
export const DEFAULT_MIN_DAYS = 14;

/** The server-side change a `server-own` blocker needs (domain.md §4.6, Exchange TLS guidance). */
export const SERVER_SIDE_FIX =
  'set .NET SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 (v4.0.30319, also under Wow6432Node) and enable ' +
  'TLS 1.2 in the Schannel Client keys on this server (and on the Exchange servers that connect to it) first';

/** Server names group case-insensitively: s-computername, connector ids and host names differ in case. */
export function machineKey(server: string | null): string {
  return server === null ? '' : server.toUpperCase();
}

/** Days with data per machine in the window (key: machineKey). */
export function readMachineDays(db: Db, f: ReportFilter): Map<string, number> {
  const rows = keyedRows(db) ? machineDays(db, f) : machineDaysOfRows(db, f);
  return new Map(rows.map((r) => [machineKey(r.server), r.days]));
}

/** Distinct (day, server id, source) of the window's rows first, the server's name looked up per pair, not per row. */
function machineDays(db: Db, f: ReportFilter): { server: string | null; days: number }[] {
  const days = dayCondition(f, 'r');
  const keys = keyCondition(f);
  return db
    .prepare<SqlValue[], { server: string | null; days: number }>(
      `SELECT upper(server) AS server, count(DISTINCT day) AS days FROM (
         SELECT d.day AS day, (SELECT s.value FROM strings s WHERE s.id = d.server_id) AS server, d.source AS source
         FROM (SELECT DISTINCT r.day AS day, k.server_id AS server_id, k.source AS source
               FROM usage_rows r CROSS JOIN usage_keys k ON k.id = r.key_id WHERE ${days.sql}) d
       ) WHERE ${keys.sql} GROUP BY upper(server)`,
    )
    .all(...days.params, ...keys.params);
}

/** The same from view `usage`: a database older than schema 8 read as it is. */
function machineDaysOfRows(db: Db, f: ReportFilter): { server: string | null; days: number }[] {
  const where = usageCondition(f);
  return db
    .prepare<SqlValue[], { server: string | null; days: number }>(
      `SELECT upper(server) AS server, count(DISTINCT day) AS days FROM usage WHERE ${where.sql} GROUP BY upper(server)`,
    )
    .all(...where.params);
}

const people = (n: number): string => `${num(n)} ${n === 1 ? 'person or device' : 'people or devices'}`;

const where = (v: SiteVerdict): string => (v.site === null ? v.source : `${v.source} ${v.site}`);

function blockersOf(v: SiteVerdict): MachineBlocker[] {
  const out: MachineBlocker[] = [];
  if (v.realLegacyHits > 0) {
    out.push({
      kind: 'clients', source: v.source, site: v.site, clients: v.realLegacyClients, people: v.realLegacyPeople, hits: v.realLegacyHits,
      text: `${where(v)}: ${people(v.realLegacyPeople)} (${num(v.realLegacyHits)} legacy hits) must move to TLS 1.2 or get a known exception`,
    });
  }
  if (v.ownHits > 0) {
    out.push({
      kind: 'server-own', source: v.source, site: v.site, clients: v.ownClients, people: v.ownClients, hits: v.ownHits,
      text: `${where(v)}: this server's own components (Managed Availability probes, health mailboxes, server-to-server ` +
        `traffic) still negotiate TLS 1.0/1.1 (${num(v.ownHits)} hits): ${SERVER_SIDE_FIX}`,
    });
  }
  return out;
}

function unknownOf(v: SiteVerdict): MachineUnknown | null {
  if (v.verdict !== 'unknown' || v.unknownReason === null) return null;
  return {
    reason: v.unknownReason, source: v.source, site: v.site, hits: v.noTlsFieldHits,
    text: `${where(v)}: ${v.evidence}`,
  };
}

function headline(verdict: Verdict, m: Omit<MachineVerdict, 'verdict' | 'headline'>): string {
  if (verdict === 'no') {
    const own = m.blockers.some((b) => b.kind === 'server-own');
    // A person seen on two sources of the machine counts twice here: the per-source rows say which
    const clients = m.blockers.filter((b) => b.kind === 'clients').reduce((n, b) => n + b.people, 0);
    const parts = [
      ...(clients > 0 ? [`${people(clients)} still on TLS 1.0/1.1`] : []),
      ...(own ? ["the server's own components on TLS 1.0/1.1"] : []),
    ];
    return `no: ${parts.join(' and ')}`;
  }
  if (verdict === 'unknown') {
    return `unknown: ${m.unknowns.map((u) => (u.site === null ? u.source : `${u.source} ${u.site}`)).join(', ')} cannot tell the TLS version`;
  }
  return m.shortWindow ? `yes, but only ${num(m.days)} days observed (fewer than ${num(m.minDays)})` : `yes, over ${num(m.days)} days`;
}

/** One verdict per machine, in the order of the site verdicts (sorted by source, server, site). */
export function machineVerdicts(sites: readonly SiteVerdict[], days: ReadonlyMap<string, number>, minDays: number): MachineVerdict[] {
  const groups = new Map<string, SiteVerdict[]>();
  for (const v of sites) {
    const key = machineKey(v.server);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rows]) => {
      const blockers = rows.flatMap(blockersOf);
      const unknowns = rows.map(unknownOf).filter((u): u is MachineUnknown => u !== null);
      const observed = days.get(key) ?? 0;
      const base = {
        server: rows[0].server,
        days: observed,
        minDays,
        shortWindow: observed < minDays,
        firstDay: rows.map((r) => r.firstDay).reduce((a, b) => (b < a ? b : a)),
        lastDay: rows.map((r) => r.lastDay).reduce((a, b) => (b > a ? b : a)),
        blockers,
        unknowns,
        sources: rows,
      };
      const verdict: Verdict = blockers.length > 0 ? 'no' : unknowns.length > 0 ? 'unknown' : 'yes';
      return { ...base, verdict, headline: headline(verdict, base) };
    });
}
