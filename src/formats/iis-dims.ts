// IIS W3C values → usage dimensions: the tokens of one line, read through its layout binding, decoded once per new
// key (the text and byte paths both come here for a row). It does not split lines or count events.
import type { UsageDims } from '../aggregate/usage.js';
import { decodeCipherHex, decodeHashHex, decodeKeyExchangeHex, decodeProtocolHex } from '../tls/decode.js';
import type { Binding } from './iis-layout.js';
import { firstForwardedAddress, stripPort } from './ip.js';
import type { PathHints } from './types.js';

/** "HH:MM:SS" from "HH:MM:SS", "HH:MM:SS.fff" or "HH:MM"; null when it is not a time. */
export function normalizeTime(t: string): string | null {
  if (t.length === 8 && t.charCodeAt(2) === 58 && t.charCodeAt(5) === 58) return t;
  if (/^\d{2}:\d{2}:\d{2}[.,]\d+$/.test(t)) return t.slice(0, 8);
  if (/^\d{2}:\d{2}$/.test(t)) return t + ':00';
  return null;
}

export function isDate(d: string): boolean {
  return d.length === 10 && d.charCodeAt(4) === 45 && d.charCodeAt(7) === 45 && /^\d{4}-\d{2}-\d{2}$/.test(d);
}

/**
 * A copy of `s` that does not point into the string it was cut from. Slices of a line point into the whole
 * decoded chunk (1 MiB); a stored row or cache key holding one would keep every such chunk alive.
 */
export const detach = (s: string): string => (' ' + s).slice(1);

/** A logged value, or null for "-"/empty; IIS Advanced Logging's double quotes are removed. */
function dash(v: string | undefined): string | null {
  if (v === undefined || v === '-' || v === '') return null;
  if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) return dash(v.slice(1, -1).replace(/""/g, '"'));
  return v;
}

/** The TLS dimensions of one crypt-* value: its label and the code as logged. */
interface Decoded {
  readonly label: string | null;
  readonly code: string | null;
}

/**
 * Decoded crypt-* values by kind and raw value: a handful of distinct values each in real logs, decoded once per
 * thread instead of once per new key. Emptied when one holds more than CACHE_LIMIT (the values are logged text).
 */
const CACHE_LIMIT = 1024;
const DECODERS = [decodeProtocolHex, decodeCipherHex, decodeHashHex, decodeKeyExchangeHex] as const;
const decoded = DECODERS.map(() => new Map<string, Decoded>());

function decode(kind: 0 | 1 | 2 | 3, raw: string): Decoded {
  const cache = decoded[kind];
  let d = cache.get(raw);
  if (d === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    d = { label: DECODERS[kind](raw), code: dash(raw) };
    cache.set(detach(raw), d);
  }
  return d;
}

const NOT_LOGGED: Decoded = { label: null, code: null };

/**
 * The dimensions of a line's tokens `t` under binding `b`, on `date` at `endpoint`. Only the tokens of key fields
 * (the binding's runs) are read: the byte path fills just those.
 */
export function iisDims(t: readonly string[], b: Binding, date: string, endpoint: string, hints: PathHints): UsageDims {
  const field = (i: number): string | null => (i >= 0 ? dash(t[i]) : null);
  const cip = field(b.cip);
  const forwarded = b.xff >= 0 ? firstForwardedAddress(t[b.xff]) : null;
  const ua = field(b.ua);
  const proto = b.proto >= 0 ? decode(0, t[b.proto]) : null;
  const cipher = b.cipher >= 0 ? decode(1, t[b.cipher]) : NOT_LOGGED;
  const hash = b.hash >= 0 ? decode(2, t[b.hash]) : NOT_LOGGED;
  const kex = b.kex >= 0 ? decode(3, t[b.kex]) : NOT_LOGGED;
  // every dimension of UsageDims, as usageDims() would fill them (detail not logged by IIS: null)
  return {
    day: date,
    source: 'iis',
    server: field(b.computer) ?? hints.server,
    site: field(b.site) ?? hints.site,
    clientIp: forwarded ?? (cip === null ? null : stripPort(cip)),
    proxyIp: forwarded !== null && cip !== null ? stripPort(cip) : null,
    username: field(b.user),
    userAgent: ua === null ? null : ua.includes('+') ? ua.replace(/\+/g, ' ') : ua,
    endpoint,
    protocol: proto === null ? 'unknown' : (proto.label as string),
    protocolCode: proto === null ? null : proto.code,
    cipher: cipher.label,
    cipherCode: cipher.code,
    hash: hash.label,
    hashCode: hash.code,
    keyExchange: kex.label,
    keyExchangeCode: kex.code,
    detail: null,
    internal: b.port >= 0 && t[b.port] === '444' ? 1 : 0,
  };
}
