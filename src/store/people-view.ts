// The view legacy_people: one row per (source, username, client_ip) that used a legacy protocol — a person or a
// device — with its user agents (rows of legacy_clients) summed up. Built from the legacy set, so it is one of the
// derived views (derived-views.ts), recreated when its SQL changes; migration 7 only made room for it.
import { LEGACY_SQL_LIST, legacyHitColumnsSql, MODERN_SQL_LIST } from '../tls/legacy.js';

const L = LEGACY_SQL_LIST;

/** The user name after a `DOMAIN\\` … */
const AFTER_DOMAIN = `CASE WHEN instr(g.username, '\\') > 0 THEN substr(g.username, instr(g.username, '\\') + 1) ELSE g.username END`;
/** … and before an `@`, in lower case (ASCII letters: SQLite's lower()): report/people.ts accountOf. */
const ACCOUNT = `nullif(lower(trim(CASE WHEN instr(${AFTER_DOMAIN}, '@') > 0 THEN substr(${AFTER_DOMAIN}, 1, instr(${AFTER_DOMAIN}, '@') - 1) ELSE ${AFTER_DOMAIN} END)), '')`;

/** legacy_people (schema 7): one row per (source, username, client_ip), a person or a device; `usageByKey` as in derived-views.ts. */
export const legacyPeopleView = (usageByKey: string): string => `
CREATE VIEW legacy_people AS
WITH ${usageByKey}, g AS (
  SELECT
    source,
    client_ip,
    username,
    sum(CASE WHEN protocol IN ${L} THEN hits ELSE 0 END) AS legacy_hits,
${legacyHitColumnsSql('    ')}
    sum(CASE WHEN protocol IN ${MODERN_SQL_LIST} THEN hits ELSE 0 END) AS modern_hits,
    min(CASE WHEN protocol IN ${L} THEN first_seen END) AS first_seen,
    max(CASE WHEN protocol IN ${L} THEN last_seen END) AS last_seen,
    group_concat(DISTINCT CASE WHEN protocol IN ${L} THEN server END) AS servers,
    group_concat(DISTINCT CASE WHEN protocol IN ${L} THEN endpoint END) AS endpoints,
    min(CASE WHEN protocol IN ${L} THEN internal END) AS internal
  FROM usage_by_key
  GROUP BY source, client_ip, username
  HAVING legacy_hits > 0
), a AS (
  SELECT
    source,
    client_ip,
    username,
    count(*) AS agents,
    sum(noise IS NULL) AS real_agents,
    group_concat(DISTINCT client) AS clients,
    CASE WHEN count(noise) = count(*) THEN group_concat(DISTINCT noise) END AS noise
  FROM legacy_clients
  GROUP BY source, client_ip, username
)
SELECT
  g.source, g.client_ip, g.username, a.agents, a.real_agents, a.clients, a.noise,
  g.legacy_hits, g.ssl2_hits, g.ssl3_hits, g.tls10_hits, g.tls11_hits, g.modern_hits,
  g.first_seen, g.last_seen, g.servers, g.endpoints, g.internal, ${ACCOUNT} AS account
FROM g JOIN a ON a.source = g.source AND a.client_ip IS g.client_ip AND a.username IS g.username;
`;
