// Decodes IIS crypt-* hex values and Exchange SP_PROT_*/CALG_* names into readable labels via tables.ts.
// Pure and total: unknown input maps to 'unknown' (or null for "no TLS"), never an exception. It does not
// keep the raw value; callers store that next to the label.

import {
  CIPHER_ALGS,
  HASH_ALGS,
  KEY_EXCHANGE_ALGS,
  SCHANNEL_INTERNAL_ALGS,
  SP_PROT,
  type AlgEntry,
  type ProtocolEntry,
  type ProtocolLabel,
} from './tables.js';

export type { ProtocolLabel } from './tables.js';

export { isLegacyProtocol, LEGACY_PROTOCOLS } from './legacy.js';

// Lookup maps, built once. Map (not object) lookups so names like "__proto__" or "toString" stay unknown.
type Entries<E> = Readonly<Record<string, E>>;

function codeMap<E extends { readonly code: number }, V>(tables: readonly Entries<E>[], pick: (e: E) => V): Map<number, V> {
  const map = new Map<number, V>();
  for (const table of tables) for (const e of Object.values(table)) if (!map.has(e.code)) map.set(e.code, pick(e));
  return map;
}

function nameMap<E, V>(tables: readonly Entries<E>[], pick: (e: E) => V): Map<string, V> {
  const map = new Map<string, V>();
  for (const table of tables) for (const [key, e] of Object.entries(table)) map.set(key, pick(e));
  return map;
}

const algName = (e: AlgEntry): string => e.name;

const protocolLabel = (e: ProtocolEntry): ProtocolLabel => e.label;
const PROTOCOL_BY_CODE = codeMap<ProtocolEntry, ProtocolLabel>([SP_PROT], protocolLabel);
const PROTOCOL_BY_NAME = nameMap<ProtocolEntry, ProtocolLabel>([SP_PROT], protocolLabel);

export type AlgKind = 'cipher' | 'hash' | 'keyExchange';
const ALG_TABLES: Record<AlgKind, readonly Entries<AlgEntry>[]> = {
  cipher: [CIPHER_ALGS],
  hash: [HASH_ALGS],
  keyExchange: [KEY_EXCHANGE_ALGS, SCHANNEL_INTERNAL_ALGS],
};
const ALG_BY_CODE: Record<AlgKind, Map<number, string>> = {
  cipher: codeMap(ALG_TABLES.cipher, algName),
  hash: codeMap(ALG_TABLES.hash, algName),
  keyExchange: codeMap(ALG_TABLES.keyExchange, algName),
};
const ALG_BY_NAME: Record<AlgKind, Map<string, string>> = {
  cipher: nameMap(ALG_TABLES.cipher, algName),
  hash: nameMap(ALG_TABLES.hash, algName),
  keyExchange: nameMap(ALG_TABLES.keyExchange, algName),
};

// IIS writes e.g. SP_PROT_TLS1_2_SERVER (0x400) as bare hex "400". At most 16 digits keeps parseInt exact
// enough (every real value fits in 8) and the cost bounded. Surrounding whitespace tolerates a stray "\r".
const HEX = /^\s*(?:0x)?([0-9a-f]{1,16})\s*$/i;

/** NaN for anything that is not hex; -1 for the "no TLS" markers "-" and "". */
function parseHexField(raw: string): number {
  if (raw === '-' || raw === '') return -1;
  const m = HEX.exec(raw);
  if (m) return parseInt(m[1], 16);
  const t = raw.trim();
  return t === '-' || t === '' ? -1 : NaN;
}

export function decodeProtocolHex(raw: string): ProtocolLabel {
  const code = parseHexField(raw);
  if (code === -1) return 'none';
  return PROTOCOL_BY_CODE.get(code) ?? 'unknown';
}

function decodeAlgHex(raw: string, kind: AlgKind): string | null {
  const code = parseHexField(raw);
  if (code === -1) return null;
  return ALG_BY_CODE[kind].get(code) ?? 'unknown';
}

export function decodeCipherHex(raw: string): string | null {
  return decodeAlgHex(raw, 'cipher');
}

export function decodeHashHex(raw: string): string | null {
  return decodeAlgHex(raw, 'hash');
}

export function decodeKeyExchangeHex(raw: string): string | null {
  return decodeAlgHex(raw, 'keyExchange');
}

// .NET prints an enum value that has no name as its decimal number (e.g. 4096 for TLS 1.3).
const DECIMAL = /^\d{1,10}$/;

export function decodeSchannelProtocolName(name: string): ProtocolLabel {
  // as the logs write it (a key is already trimmed, upper case, with underscores): no copy of the name is made
  const known = PROTOCOL_BY_NAME.get(name);
  if (known !== undefined) return known;
  const t = name.trim();
  if (DECIMAL.test(t)) return PROTOCOL_BY_CODE.get(Number(t)) ?? 'unknown';
  // Microsoft docs write "SP_PROT-TLS1_2_CLIENT"; the logs use underscores.
  return PROTOCOL_BY_NAME.get(t.toUpperCase().replaceAll('-', '_')) ?? 'unknown';
}

export function decodeAlgName(name: string, kind: AlgKind): string {
  const known = ALG_BY_NAME[kind].get(name);
  if (known !== undefined) return known;
  const t = name.trim();
  if (DECIMAL.test(t)) return ALG_BY_CODE[kind].get(Number(t)) ?? 'unknown';
  return ALG_BY_NAME[kind].get(t.toUpperCase()) ?? 'unknown';
}

export type WeakCryptoReason =
  | 'RC4 cipher'
  | 'DES cipher'
  | '3DES cipher'
  | 'NULL cipher'
  | 'MD5 hash'
  | 'RSA key exchange (no forward secrecy)';

const WEAK_CIPHERS: ReadonlyMap<string, WeakCryptoReason> = new Map([
  ['RC4', 'RC4 cipher'],
  ['DES', 'DES cipher'],
  ['3DES', '3DES cipher'],
  ['3DES-112', '3DES cipher'],
  ['NULL', 'NULL cipher'],
]);

/**
 * Takes the readable names the decoders return (null = not logged). Static DH/ECDH (aa01/aa05) are
 * deliberately not flagged: the IIS docs' own example logs CALG_ECDH, so it may stand for ECDHE.
 */
export function weakCryptoReasons(cipher: string | null, hash: string | null, keyExchange: string | null): WeakCryptoReason[] {
  const reasons: WeakCryptoReason[] = [];
  const weakCipher = cipher === null ? undefined : WEAK_CIPHERS.get(cipher.toUpperCase());
  if (weakCipher) reasons.push(weakCipher);
  if (hash !== null && hash.toUpperCase() === 'MD5') reasons.push('MD5 hash');
  if (keyExchange !== null && keyExchange.toUpperCase() === 'RSA') reasons.push('RSA key exchange (no forward secrecy)');
  return reasons;
}
