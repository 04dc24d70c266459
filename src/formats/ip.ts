// Client addresses as logged, without port or brackets: "[2001:db8::1]:5555" → "2001:db8::1", "192.0.2.7:443" → "192.0.2.7".
// Zone ids ("fe80::1%3") are kept; nothing is resolved or rewritten beyond that.
import { isIP } from 'node:net';

export function stripPort(addr: string): string {
  if (addr.charCodeAt(0) === 91) {
    // "[v6]" or "[v6]:port"
    const close = addr.indexOf(']');
    return close > 0 ? addr.slice(1, close) : addr;
  }
  const colon = addr.indexOf(':');
  if (colon > 0 && addr.indexOf(':', colon + 1) < 0) return addr.slice(0, colon); // IPv4:port
  return addr;
}

/** True for an IPv4 or IPv6 address, with or without a zone id. */
export function looksLikeIp(addr: string): boolean {
  const pct = addr.indexOf('%');
  return isIP(pct > 0 ? addr.slice(0, pct) : addr) !== 0;
}

/** First address of an X-Forwarded-For style value ("51.154.8.227,+10.0.0.9"), or null if it holds none. */
export function firstForwardedAddress(value: string): string | null {
  if (value === '-' || value === '') return null;
  const comma = value.indexOf(',');
  const first = stripPort((comma < 0 ? value : value.slice(0, comma)).replace(/\+/g, ' ').trim());
  return looksLikeIp(first) ? first : null;
}
