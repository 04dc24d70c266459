// Weak cipher parts and the Office 365 TLS 1.2 suite list, as data for JS and as SQL for the views.
// The SQL is frozen into migration 4; a test proves it agrees with the JS over every decodable name.
import { weakCryptoReasons } from '../tls/decode.js';

export interface SuiteParts {
  readonly suite: string;
  /** As decode.ts names them (what the usage table holds). */
  readonly keyExchange: string;
  readonly cipher: string;
  readonly hash: string;
}

/** TLS 1.2 suites Office 365 accepts (Microsoft 365 encryption reference). GCM suites log the suite's hash. */
export const O365_TLS12_SUITES: readonly SuiteParts[] = [
  { suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', keyExchange: 'ECDHE', cipher: 'AES-256', hash: 'SHA-384' },
  { suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', keyExchange: 'ECDHE', cipher: 'AES-128', hash: 'SHA-256' },
  { suite: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', keyExchange: 'ECDHE', cipher: 'AES-256', hash: 'SHA-384' },
  { suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', keyExchange: 'ECDHE', cipher: 'AES-128', hash: 'SHA-256' },
  { suite: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', keyExchange: 'ECDHE', cipher: 'AES-256', hash: 'SHA-1' },
  { suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', keyExchange: 'ECDHE', cipher: 'AES-128', hash: 'SHA-1' },
  { suite: 'TLS_RSA_WITH_AES_256_GCM_SHA384', keyExchange: 'RSA', cipher: 'AES-256', hash: 'SHA-384' },
  { suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256', keyExchange: 'RSA', cipher: 'AES-128', hash: 'SHA-256' },
];

/** TLS 1.2 suites Office 365 does not accept that log the same three values as an accepted one. */
export const LOOKALIKE_TLS12_SUITES: readonly SuiteParts[] = [
  { suite: 'TLS_RSA_WITH_AES_128_CBC_SHA256', keyExchange: 'RSA', cipher: 'AES-128', hash: 'SHA-256' },
];

/** yes: matches only accepted suites; maybe: also a look-alike; no: no accepted suite. */
export type O365Match = 'yes' | 'maybe' | 'no';

const same = (s: SuiteParts, cipher: string, hash: string, kex: string): boolean =>
  s.cipher === cipher && s.hash === hash && s.keyExchange === kex;

/** Null unless TLS 1.2 with all three parts logged and known: only then can the suite be compared. */
export function o365Match(protocol: string, cipher: string | null, hash: string | null, kex: string | null): O365Match | null {
  if (protocol !== 'TLS 1.2' || cipher === null || hash === null || kex === null) return null;
  if (cipher === 'unknown' || hash === 'unknown' || kex === 'unknown') return null;
  if (!O365_TLS12_SUITES.some((s) => same(s, cipher, hash, kex))) return 'no';
  return LOOKALIKE_TLS12_SUITES.some((s) => same(s, cipher, hash, kex)) ? 'maybe' : 'yes';
}

/** The weakness text of one usage row: weakCryptoReasons joined by ", ", or null. */
export function weaknessOf(cipher: string | null, hash: string | null, kex: string | null): string | null {
  const reasons = weakCryptoReasons(cipher, hash, kex);
  return reasons.length > 0 ? reasons.join(', ') : null;
}

const col = (alias: string, name: string): string => (alias ? `${alias}.${name}` : name);

/** SQL twin of weaknessOf() over one usage row. */
export function weaknessSql(a = ''): string {
  const c = col(a, 'cipher');
  return `nullif(rtrim(
    CASE upper(${c}) WHEN 'RC4' THEN 'RC4 cipher, ' WHEN 'DES' THEN 'DES cipher, ' WHEN '3DES' THEN '3DES cipher, '
      WHEN '3DES-112' THEN '3DES cipher, ' WHEN 'NULL' THEN 'NULL cipher, ' ELSE '' END
    || CASE WHEN upper(${col(a, 'hash')}) = 'MD5' THEN 'MD5 hash, ' ELSE '' END
    || CASE WHEN upper(${col(a, 'key_exchange')}) = 'RSA' THEN 'RSA key exchange (no forward secrecy), ' ELSE '' END, ', '), '')`;
}

/** The same over a group of usage rows: every weakness any row of the group has, in a fixed order. */
export function groupWeaknessSql(a = ''): string {
  const c = col(a, 'cipher');
  const any = (cond: string, text: string): string => `CASE WHEN max(${cond}) THEN '${text}, ' ELSE '' END`;
  return `nullif(rtrim(
    ${any(`upper(${c}) = 'RC4'`, 'RC4 cipher')} || ${any(`upper(${c}) = 'DES'`, 'DES cipher')}
    || ${any(`upper(${c}) IN ('3DES', '3DES-112')`, '3DES cipher')} || ${any(`upper(${c}) = 'NULL'`, 'NULL cipher')}
    || ${any(`upper(${col(a, 'hash')}) = 'MD5'`, 'MD5 hash')}
    || ${any(`upper(${col(a, 'key_exchange')}) = 'RSA'`, 'RSA key exchange (no forward secrecy)')}, ', '), '')`;
}

/** SQL twin of o365Match() over one usage row. */
export function o365Sql(a = ''): string {
  const [p, c, h, k] = ['protocol', 'cipher', 'hash', 'key_exchange'].map((n) => col(a, n));
  return `CASE
    WHEN ${p} <> 'TLS 1.2' OR ${c} IS NULL OR ${h} IS NULL OR ${k} IS NULL THEN NULL
    WHEN 'unknown' IN (${c}, ${h}, ${k}) THEN NULL
    WHEN ${k} = 'RSA' AND ${c} = 'AES-128' AND ${h} = 'SHA-256' THEN 'maybe'
    WHEN ${k} = 'ECDHE' AND ((${c} = 'AES-256' AND ${h} IN ('SHA-384', 'SHA-1')) OR (${c} = 'AES-128' AND ${h} IN ('SHA-256', 'SHA-1'))) THEN 'yes'
    WHEN ${k} = 'RSA' AND ${c} = 'AES-256' AND ${h} = 'SHA-384' THEN 'yes'
    ELSE 'no' END`;
}
