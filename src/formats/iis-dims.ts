// IIS W3C values → usage dimensions: the tokens of one line, read through its layout binding, decoded once per new
// key (the text and byte paths both come here for a row). It does not split lines or count events.
import { usageDims, type UsageDims } from '../aggregate/usage.js';
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

/** The dimensions of a line's tokens `t` under binding `b`, on `date` at `endpoint`. */
export function iisDims(t: string[], b: Binding, date: string, endpoint: string, hints: PathHints): UsageDims {
  const field = (i: number): string | null => (i >= 0 ? dash(t[i]) : null);
  const cip = field(b.cip);
  const forwarded = b.xff >= 0 ? firstForwardedAddress(t[b.xff]) : null;
  const ua = field(b.ua);
  const hasTls = b.proto >= 0;
  const protoRaw = hasTls ? t[b.proto] : null;
  return usageDims({
    day: date,
    source: 'iis',
    server: field(b.computer) ?? hints.server,
    site: field(b.site) ?? hints.site,
    clientIp: forwarded ?? (cip === null ? null : stripPort(cip)),
    proxyIp: forwarded !== null && cip !== null ? stripPort(cip) : null,
    username: field(b.user),
    userAgent: ua === null ? null : ua.replace(/\+/g, ' '),
    endpoint,
    protocol: protoRaw === null ? 'unknown' : decodeProtocolHex(protoRaw),
    protocolCode: protoRaw === null ? null : dash(protoRaw),
    cipher: b.cipher >= 0 ? decodeCipherHex(t[b.cipher]) : null,
    cipherCode: field(b.cipher),
    hash: b.hash >= 0 ? decodeHashHex(t[b.hash]) : null,
    hashCode: field(b.hash),
    keyExchange: b.kex >= 0 ? decodeKeyExchangeHex(t[b.kex]) : null,
    keyExchangeCode: field(b.kex),
    internal: b.port >= 0 && t[b.port] === '444' ? 1 : 0,
  });
}
