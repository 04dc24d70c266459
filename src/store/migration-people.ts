// Schema version 7 (people and devices): the view legacy_people, one row per (source, username, client_ip) that
// used a legacy protocol — a person or a device — with its user agents summed up. legacy_clients stays per agent.
import { LEGACY_SQL_LIST, MODERN_SQL_LIST } from './legacy.js';
import type { Migration } from './migrations.js';

const L = LEGACY_SQL_LIST;

/** Frozen once released: a later change needs a migration of its own. */
export const LEGACY_PEOPLE_V7 = `
CREATE VIEW legacy_people AS
WITH g AS (
  SELECT
    source,
    client_ip,
    username,
    sum(CASE WHEN protocol IN ${L} THEN hits ELSE 0 END) AS legacy_hits,
    sum(CASE WHEN protocol = 'SSL 2.0' THEN hits ELSE 0 END) AS ssl2_hits,
    sum(CASE WHEN protocol = 'SSL 3.0' THEN hits ELSE 0 END) AS ssl3_hits,
    sum(CASE WHEN protocol = 'TLS 1.0' THEN hits ELSE 0 END) AS tls10_hits,
    sum(CASE WHEN protocol = 'TLS 1.1' THEN hits ELSE 0 END) AS tls11_hits,
    sum(CASE WHEN protocol IN ${MODERN_SQL_LIST} THEN hits ELSE 0 END) AS modern_hits,
    min(CASE WHEN protocol IN ${L} THEN first_seen END) AS first_seen,
    max(CASE WHEN protocol IN ${L} THEN last_seen END) AS last_seen,
    group_concat(DISTINCT CASE WHEN protocol IN ${L} THEN server END) AS servers,
    group_concat(DISTINCT CASE WHEN protocol IN ${L} THEN endpoint END) AS endpoints,
    min(CASE WHEN protocol IN ${L} THEN internal END) AS internal
  FROM usage
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
  g.first_seen, g.last_seen, g.servers, g.endpoints, g.internal
FROM g JOIN a ON a.source = g.source AND a.client_ip IS g.client_ip AND a.username IS g.username;
`;

export const PEOPLE_MIGRATION: Migration = {
  version: 7,
  name: 'legacy_people: legacy clients grouped by (source, username, client_ip)',
  sql: LEGACY_PEOPLE_V7,
};
