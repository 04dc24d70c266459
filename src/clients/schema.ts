// The views built from the rules: legacy_clients (the legacy set, identification, noise and hints) and weak_crypto.
// Plain SQL only, so the sqlite3 shell can query them. Not a migration: store/derived-views.ts recreates them
// whenever this text changes, so a rule edit reaches existing and new databases alike.
import { LEGACY_SQL_LIST as LEGACY, legacyHitColumnsSql, MODERN_SQL_LIST, sqlText as q } from '../tls/legacy.js';
import { groupWeaknessSql, o365Sql, weaknessSql } from './crypto.js';
import { BACK_END_HINT, CAPABLE_HINT, ENTRA_HINT_RULES, HINTS, MAIL_AUTH_FAILED_HINT, MEASURED_HINT, NOISE_HINTS, SMTP_SEND_HINT } from './hints.js';
import { HTTP_SOURCES, NOISE_SQL, SIGN_IN_MAIL_SOURCES, sourceList } from './noise.js';

/**
 * The Entra ID hint rules as arms of the view's hint CASE, in their order, for sign-ins whose user agent the rules
 * gave no hint (`c_hint`); they read the columns `source`, `c_hint`, `details` and `user_agent`.
 */
export const ENTRA_HINT_SQL = ENTRA_HINT_RULES
  .map((r) => `WHEN source = 'entra-signin' AND c_hint IS NULL AND (${r.like.map((l) => `${r.column} LIKE ${q(l)}`).join(' OR ')}) THEN ${q(r.hint)}`)
  .join('\n    ');

const NOISE_HINT_SQL = Object.entries(NOISE_HINTS)
  .map(([noise, hint]) => `WHEN ${q(noise)} THEN ${q(hint)}`)
  .join(' ');

/**
 * `ua_ok`: the clients table's reading of user_agent describes this client. True for HTTP sources, and for an EHLO
 * name the rules read as a host name or a printer's default name; any other reading of an EHLO name (a "monitor", a
 * "scanner", a program) came from rules written for HTTP user agents and is not used (README "Client identification").
 */
const UA_OK = `source IN ${sourceList(HTTP_SOURCES)} OR source = 'entra-signin' OR (source LIKE 'smtp-%' AND c_family IN ('SMTP', 'Printer'))`;

/**
 * legacy_clients: the Core's columns (schema 1), identification columns after them (schema 4); noise, client
 * readings and hints per source: the user-agent rules and the count-based noise classes are written for HTTP
 * clients; on the mail sources an EHLO name is only a host name, a failed sign-in is still a client that needs
 * TLS 1.0/1.1, and in SMTP Send logs the remote server is the legacy party.
 */
/** `usageByKey`: a WITH term `usage_by_key AS (…)`, the usage rows summed per key (store/usage-by-key.ts). */
export const legacyClientsView = (usageByKey: string): string => `
CREATE VIEW legacy_clients AS
WITH ${usageByKey}, g AS (
  SELECT
    source,
    client_ip,
    username,
    user_agent,
    sum(CASE WHEN protocol IN ${LEGACY} THEN hits ELSE 0 END) AS legacy_hits,
${legacyHitColumnsSql('    ')}
    sum(CASE WHEN protocol IN ${MODERN_SQL_LIST} THEN hits ELSE 0 END) AS modern_hits,
    sum(CASE WHEN protocol IN ${LEGACY} THEN auth_failures ELSE 0 END) AS legacy_auth_failures,
    sum(CASE WHEN protocol IN ${LEGACY} THEN errors ELSE 0 END) AS legacy_errors,
    min(CASE WHEN protocol IN ${LEGACY} THEN first_seen END) AS first_seen,
    max(CASE WHEN protocol IN ${LEGACY} THEN last_seen END) AS last_seen,
    group_concat(DISTINCT CASE WHEN protocol IN ${LEGACY} THEN server END) AS servers,
    group_concat(DISTINCT CASE WHEN protocol IN ${LEGACY} THEN endpoint END) AS endpoints,
    min(CASE WHEN protocol IN ${LEGACY} THEN internal END) AS internal,
    ${groupWeaknessSql()} AS weak_crypto,
    group_concat(DISTINCT CASE WHEN protocol IN ${LEGACY} THEN detail END) AS details
  FROM usage_by_key
  GROUP BY source, client_ip, username, user_agent
  HAVING legacy_hits > 0
), n AS (
  SELECT g.*, c.client AS c_client, c.family AS c_family, c.version AS c_version, c.os AS c_os,
    c.tls12_capable AS c_tls12, c.hint AS c_hint,
    ${NOISE_SQL} AS noise
  FROM g LEFT JOIN clients c ON c.user_agent = g.user_agent
), v AS (
  SELECT n.*, CASE WHEN ${UA_OK} THEN 1 ELSE 0 END AS ua_ok FROM n
)
SELECT
  source, client_ip, username, user_agent, legacy_hits, ssl2_hits, ssl3_hits, tls10_hits, tls11_hits, modern_hits,
  legacy_auth_failures, legacy_errors, first_seen, last_seen, servers, endpoints, internal,
  CASE
    WHEN user_agent IS NULL THEN '(no user agent)'
    WHEN c_client IS NULL THEN '(not classified yet)'
    WHEN ua_ok = 1 THEN c_client
    WHEN source LIKE 'smtp-%' THEN 'SMTP host ' || user_agent
    ELSE '(not identified)'
  END AS client,
  CASE WHEN ua_ok = 1 THEN c_family WHEN source LIKE 'smtp-%' AND user_agent IS NOT NULL THEN 'SMTP' END AS client_family,
  CASE WHEN ua_ok = 1 THEN c_version END AS client_version,
  CASE WHEN ua_ok = 1 THEN c_os END AS os,
  CASE WHEN modern_hits > 0 THEN 'yes' WHEN ua_ok = 1 THEN coalesce(c_tls12, 'unknown') ELSE 'unknown' END AS tls12_capable,
  CASE WHEN modern_hits > 0 THEN 'measured' WHEN ua_ok = 1 AND c_tls12 IN ('yes', 'no') THEN 'user agent' END AS tls12_basis,
  noise,
  CASE
    WHEN noise IS NOT NULL THEN CASE noise ${NOISE_HINT_SQL} END
    WHEN source = 'smtp-send' THEN ${q(SMTP_SEND_HINT)}
    WHEN internal = 1 THEN ${q(BACK_END_HINT)}
    WHEN source IN ${sourceList(SIGN_IN_MAIL_SOURCES)} AND legacy_auth_failures >= legacy_hits
      AND (source <> 'smtp-receive' OR username IS NULL) THEN ${q(MAIL_AUTH_FAILED_HINT)}
    WHEN modern_hits > 0 THEN ${q(MEASURED_HINT)}
    ${ENTRA_HINT_SQL}
    WHEN ua_ok = 1 THEN coalesce(c_hint, CASE WHEN c_tls12 = 'yes' THEN ${q(CAPABLE_HINT)} END)
    WHEN source LIKE 'smtp-%' AND user_agent IS NOT NULL THEN ${q(HINTS.smtpHost)}
  END AS hint,
  weak_crypto,
  details
FROM v;
`;

export const weakCryptoView = (usageByKey: string): string => `
CREATE VIEW weak_crypto AS
WITH ${usageByKey}
SELECT
  u.source, u.client_ip, u.username, u.user_agent, c.client,
  u.protocol, u.cipher, u.hash, u.key_exchange,
  ${weaknessSql('u')} AS weakness,
  ${o365Sql('u')} AS o365_suite,
  sum(u.hits) AS hits,
  min(u.first_seen) AS first_seen,
  max(u.last_seen) AS last_seen,
  group_concat(DISTINCT u.server) AS servers,
  group_concat(DISTINCT u.endpoint) AS endpoints,
  min(u.internal) AS internal
FROM usage_by_key u LEFT JOIN clients c ON c.user_agent = u.user_agent
WHERE u.cipher IS NOT NULL OR u.hash IS NOT NULL OR u.key_exchange IS NOT NULL
GROUP BY u.source, u.client_ip, u.username, u.user_agent, u.protocol, u.cipher, u.hash, u.key_exchange
HAVING weakness IS NOT NULL OR o365_suite = 'no';
`;
