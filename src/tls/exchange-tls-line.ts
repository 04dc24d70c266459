// Finds Exchange's "TLS protocol … negotiation succeeded …" and "TLS negotiation failed with error …" text
// (domain.md §4.3) in a protocol-log context column and decodes it. It does not parse CSV or track sessions;
// the SMTP log parser hands it the column text.

import { decodeAlgName, decodeSchannelProtocolName, type ProtocolLabel } from './decode.js';

export interface ExchangeTls {
  protocol: ProtocolLabel;
  protocolCode: string;
  cipher: string;
  cipherCode: string;
  cipherBits: number;
  hash: string;
  hashCode: string;
  hashBits: number;
  keyExchange: string;
  keyExchangeCode: string;
  keyExchangeBits: number;
}

// Exchange's FormatTlsSuccessResult template. Tokens are enum names (SP_PROT_*, CALG_*) or, for a value
// the enum does not name, a decimal number, so \S+ rather than a name pattern. Strength is 0 for AEAD MACs.
const TLS_SUCCESS =
  /TLS protocol (\S+) negotiation succeeded using bulk encryption algorithm (\S+) with strength (\d+) bits, MAC hash algorithm (\S+) with strength (\d+) bits and key exchange algorithm (\S+) with strength (\d+) bits/;

const TLS_FAILURE = /TLS negotiation failed with error ([\w-]+)/;

export function parseExchangeTlsLine(text: string): ExchangeTls | null {
  // Cheap gate: the context column of most lines is empty or short and never contains this.
  if (!text.includes('negotiation succeeded')) return null;
  const m = TLS_SUCCESS.exec(text);
  if (!m) return null;
  const [, protocolCode, cipherCode, cipherBits, hashCode, hashBits, keyExchangeCode, keyExchangeBits] = m;
  return {
    protocol: decodeSchannelProtocolName(protocolCode),
    protocolCode,
    cipher: decodeAlgName(cipherCode, 'cipher'),
    cipherCode,
    cipherBits: Number(cipherBits),
    hash: decodeAlgName(hashCode, 'hash'),
    hashCode,
    hashBits: Number(hashBits),
    keyExchange: decodeAlgName(keyExchangeCode, 'keyExchange'),
    keyExchangeCode,
    keyExchangeBits: Number(keyExchangeBits),
  };
}

export function parseExchangeTlsFailure(text: string): string | null {
  if (!text.includes('negotiation failed')) return null;
  const m = TLS_FAILURE.exec(text);
  return m ? m[1] : null;
}
