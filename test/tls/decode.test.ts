// Every decode-table entry decodes its own sample, plus the hex/decimal traps and garbage inputs.
// Exchange line parsing is tested in exchange-tls-line.test.ts.

import { describe, expect, it } from 'vitest';
import {
  LEGACY_PROTOCOLS,
  decodeAlgName,
  decodeCipherHex,
  decodeHashHex,
  decodeKeyExchangeHex,
  decodeProtocolHex,
  decodeSchannelProtocolName,
  isLegacyProtocol,
  weakCryptoReasons,
  type AlgKind,
} from '../../src/tls/decode.js';
import {
  CIPHER_ALGS,
  HASH_ALGS,
  KEY_EXCHANGE_ALGS,
  SCHANNEL_INTERNAL_ALGS,
  SP_PROT,
  type AlgEntry,
} from '../../src/tls/tables.js';

describe('SP_PROT table', () => {
  it.each(Object.entries(SP_PROT))('%s decodes its sample, its name and its decimal value', (constant, e) => {
    expect(e.sample).toBe(e.code.toString(16));
    expect(decodeProtocolHex(e.sample)).toBe(e.label);
    expect(decodeSchannelProtocolName(constant)).toBe(e.label);
    expect(decodeSchannelProtocolName(String(e.code))).toBe(e.label);
    expect(constant.endsWith(`_${e.role.toUpperCase()}`)).toBe(true);
  });

  it('aliases with one value agree on the label', () => {
    const byCode = new Map<number, string>();
    for (const e of Object.values(SP_PROT)) {
      expect(byCode.get(e.code) ?? e.label).toBe(e.label);
      byCode.set(e.code, e.label);
    }
  });

  it('maps the server and the client bit of a version to the same label', () => {
    expect(decodeProtocolHex('40')).toBe('TLS 1.0');
    expect(decodeProtocolHex('80')).toBe('TLS 1.0');
    expect(decodeProtocolHex('400')).toBe('TLS 1.2');
    expect(decodeProtocolHex('800')).toBe('TLS 1.2');
    expect(decodeProtocolHex('10')).toBe('SSL 3.0');
    expect(decodeProtocolHex('20')).toBe('SSL 3.0');
  });
});

const algTables: [string, AlgKind, Readonly<Record<string, AlgEntry>>, (raw: string) => string | null][] = [
  ['cipher', 'cipher', CIPHER_ALGS, decodeCipherHex],
  ['hash', 'hash', HASH_ALGS, decodeHashHex],
  ['key exchange', 'keyExchange', KEY_EXCHANGE_ALGS, decodeKeyExchangeHex],
  ['signature / Schannel-internal', 'keyExchange', SCHANNEL_INTERNAL_ALGS, decodeKeyExchangeHex],
];

describe.each(algTables)('%s ALG_ID table', (_title, kind, table, decodeHex) => {
  it.each(Object.entries(table))('%s decodes its sample, its name and its decimal value', (constant, e) => {
    expect(e.sample).toBe(e.code.toString(16));
    expect(decodeHex(e.sample)).toBe(e.name);
    expect(decodeAlgName(constant, kind)).toBe(e.name);
    expect(decodeAlgName(String(e.code), kind)).toBe(e.name);
  });
});

describe('domain.md §1.8 example lines', () => {
  const decode = (p: string, c: string, h: string, k: string) => [
    decodeProtocolHex(p),
    decodeCipherHex(c),
    decodeHashHex(h),
    decodeKeyExchangeHex(k),
  ];

  it('IE10 on Windows 7: 40 6610 8004 a400', () => {
    expect(decode('40', '6610', '8004', 'a400')).toEqual(['TLS 1.0', 'AES-256', 'SHA-1', 'RSA']);
    expect(weakCryptoReasons('AES-256', 'SHA-1', 'RSA')).toEqual(['RSA key exchange (no forward secrecy)']);
  });

  it('Outlook: 400 660e 800c ae06', () => {
    expect(decode('400', '660e', '800c', 'ae06')).toEqual(['TLS 1.2', 'AES-128', 'SHA-256', 'ECDHE']);
    expect(weakCryptoReasons('AES-128', 'SHA-256', 'ECDHE')).toEqual([]);
  });

  it('plain HTTP: - - - -', () => {
    expect(decode('-', '-', '-', '-')).toEqual(['none', null, null, null]);
  });
});

describe('hex, never decimal', () => {
  it('reads 40 and 100 as hex', () => {
    expect(decodeProtocolHex('40')).toBe('TLS 1.0'); // decimal 40 = 0x28, no such bit
    expect(decodeProtocolHex('100')).toBe('TLS 1.1'); // decimal 100 = 0x64
  });

  it('does not recognise the decimal spelling of a value', () => {
    for (const decimal of ['64', '256', '1024', '4096']) expect(decodeProtocolHex(decimal)).toBe('unknown');
    expect(decodeCipherHex('26128')).toBe('unknown'); // 0x6610 in decimal
  });

  it('accepts upper case and an optional 0x', () => {
    expect(decodeProtocolHex('0x400')).toBe('TLS 1.2');
    expect(decodeProtocolHex('0X40')).toBe('TLS 1.0');
    expect(decodeCipherHex('660E')).toBe('AES-128');
    expect(decodeHashHex('0x800C')).toBe('SHA-256');
    expect(decodeKeyExchangeHex('AE06')).toBe('ECDHE');
    expect(decodeKeyExchangeHex('0xFFFFFFFF')).toBe('CNG-ONLY');
  });

  it('tolerates leading zeros and surrounding whitespace', () => {
    expect(decodeProtocolHex('00000400')).toBe('TLS 1.2');
    expect(decodeKeyExchangeHex('ae06\r')).toBe('ECDHE');
    expect(decodeProtocolHex(' - ')).toBe('none');
  });
});

describe('values without a label', () => {
  it('PCT, DTLS, UNI, combined masks and SP_PROT_NONE are unknown protocols', () => {
    for (const raw of ['1', '2', '10000', '20000', '40000', '80000', '40000000', '0', 'c00', '440', 'ffffffff', 'a80']) {
      expect(decodeProtocolHex(raw)).toBe('unknown');
    }
  });

  it('"-" and "" are no TLS', () => {
    expect(decodeProtocolHex('-')).toBe('none');
    expect(decodeProtocolHex('')).toBe('none');
    for (const decode of [decodeCipherHex, decodeHashHex, decodeKeyExchangeHex]) {
      expect(decode('-')).toBeNull();
      expect(decode('')).toBeNull();
    }
  });

  it('cipher 0 is no encryption, but 0 is unknown for hash and key exchange', () => {
    expect(decodeCipherHex('0')).toBe('NULL');
    expect(decodeCipherHex('6000')).toBe('NULL');
    expect(decodeHashHex('0')).toBe('unknown');
    expect(decodeKeyExchangeHex('0')).toBe('unknown');
  });

  it('kinds do not leak into each other', () => {
    expect(decodeCipherHex('8004')).toBe('unknown');
    expect(decodeHashHex('6610')).toBe('unknown');
    expect(decodeKeyExchangeHex('800c')).toBe('unknown');
    expect(decodeAlgName('CALG_AES_256', 'hash')).toBe('unknown');
    expect(decodeAlgName('CALG_SHA1', 'cipher')).toBe('unknown');
  });

  const garbage = ['zz', '0x', 'x400', '-1', '4 00', '4.0', '--', 'null', '__proto__', 'toString', 'constructor',
    'f'.repeat(40), '\u0000', 'NaN', 'Infinity', '1e3', '٤٠٠'];

  it.each(garbage)('never throws on %j', (raw) => {
    expect(decodeProtocolHex(raw)).toBe('unknown');
    expect(decodeCipherHex(raw)).toBe('unknown');
    expect(decodeHashHex(raw)).toBe('unknown');
    expect(decodeKeyExchangeHex(raw)).toBe('unknown');
    expect(decodeSchannelProtocolName(raw)).toBe('unknown');
    for (const kind of ['cipher', 'hash', 'keyExchange'] as const) expect(decodeAlgName(raw, kind)).toBe('unknown');
  });

  it('reads an unknown ALG_ID (e.g. a ChaCha20 suite) as unknown', () => {
    expect(decodeCipherHex('6612')).toBe('unknown');
    expect(decodeAlgName('CALG_CHACHA20_POLY1305', 'cipher')).toBe('unknown');
  });
});

describe('decodeSchannelProtocolName', () => {
  it('accepts both the schannel.h and the Exchange spelling of TLS 1.0', () => {
    expect(decodeSchannelProtocolName('SP_PROT_TLS1_SERVER')).toBe('TLS 1.0');
    expect(decodeSchannelProtocolName('SP_PROT_TLS1_0_SERVER')).toBe('TLS 1.0');
    expect(decodeSchannelProtocolName('SP_PROT_TLS1_CLIENT')).toBe('TLS 1.0');
    expect(decodeSchannelProtocolName('SP_PROT_TLS1_0_CLIENT')).toBe('TLS 1.0');
  });

  it('reads an unnamed enum value as a decimal number', () => {
    expect(decodeSchannelProtocolName('4096')).toBe('TLS 1.3');
    expect(decodeSchannelProtocolName('8192')).toBe('TLS 1.3');
    expect(decodeSchannelProtocolName('64')).toBe('TLS 1.0');
    expect(decodeSchannelProtocolName('40')).toBe('unknown'); // 0x28
    expect(decodeSchannelProtocolName('0')).toBe('unknown');
  });

  it('tolerates the hyphen spelling of the docs and other letter case', () => {
    expect(decodeSchannelProtocolName('SP_PROT-TLS1_2_CLIENT')).toBe('TLS 1.2');
    expect(decodeSchannelProtocolName('sp_prot_tls1_1_server')).toBe('TLS 1.1');
  });

  it('leaves PCT, DTLS and unknown names unknown', () => {
    for (const name of ['SP_PROT_PCT1_SERVER', 'SP_PROT_DTLS1_2_CLIENT', 'SP_PROT_TLS1_2', 'SP_PROT_ALL', 'Tls12', '', '-']) {
      expect(decodeSchannelProtocolName(name)).toBe('unknown');
    }
  });
});

describe('decodeAlgName', () => {
  it('maps the Exchange names', () => {
    expect(decodeAlgName('CALG_AES_256', 'cipher')).toBe('AES-256');
    expect(decodeAlgName('CALG_AES_128', 'cipher')).toBe('AES-128');
    expect(decodeAlgName('CALG_SHA1', 'hash')).toBe('SHA-1');
    expect(decodeAlgName('CALG_SHA', 'hash')).toBe('SHA-1');
    expect(decodeAlgName('CALG_SHA_256', 'hash')).toBe('SHA-256');
    expect(decodeAlgName('CALG_SHA_384', 'hash')).toBe('SHA-384');
    expect(decodeAlgName('CALG_RSA_KEYX', 'keyExchange')).toBe('RSA');
    expect(decodeAlgName('CALG_DH_EPHEM', 'keyExchange')).toBe('DHE');
  });

  it('maps CALG_ECDHE (older Exchange) and CALG_ECDH_EPHEM to ECDHE, but CALG_ECDH to ECDH', () => {
    expect(decodeAlgName('CALG_ECDHE', 'keyExchange')).toBe('ECDHE');
    expect(decodeAlgName('CALG_ECDH_EPHEM', 'keyExchange')).toBe('ECDHE');
    expect(decodeAlgName('CALG_ECDH', 'keyExchange')).toBe('ECDH');
  });

  it('reads a bare decimal number as an ALG_ID value', () => {
    expect(decodeAlgName('26128', 'cipher')).toBe('AES-256');
    expect(decodeAlgName('32780', 'hash')).toBe('SHA-256');
    expect(decodeAlgName('44550', 'keyExchange')).toBe('ECDHE');
    expect(decodeAlgName('0', 'cipher')).toBe('NULL');
  });
});

describe('legacy protocols', () => {
  it('are exactly SSL 2.0, SSL 3.0, TLS 1.0, TLS 1.1 and Entra ID\'s flag', () => {
    expect(LEGACY_PROTOCOLS).toEqual(['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.0/1.1 or 3DES']);
    for (const p of LEGACY_PROTOCOLS) expect(isLegacyProtocol(p)).toBe(true);
    for (const p of ['TLS 1.2', 'TLS 1.3', 'TLS 1.2+', 'none', 'failed', 'unknown', 'tls 1.0', '']) expect(isLegacyProtocol(p)).toBe(false);
  });
});

describe('weakCryptoReasons', () => {
  it('flags RC4, DES, every 3DES, NULL, MD5 and RSA key exchange', () => {
    expect(weakCryptoReasons('RC4', 'MD5', 'RSA')).toEqual([
      'RC4 cipher',
      'MD5 hash',
      'RSA key exchange (no forward secrecy)',
    ]);
    expect(weakCryptoReasons('DES', 'SHA-1', 'DHE')).toEqual(['DES cipher']);
    expect(weakCryptoReasons('3DES', null, null)).toEqual(['3DES cipher']);
    expect(weakCryptoReasons('3DES-112', null, null)).toEqual(['3DES cipher']);
    expect(weakCryptoReasons('NULL', null, null)).toEqual(['NULL cipher']);
  });

  it('returns nothing for strong or missing values', () => {
    expect(weakCryptoReasons('AES-256', 'SHA-384', 'ECDHE')).toEqual([]);
    expect(weakCryptoReasons(null, null, null)).toEqual([]);
    expect(weakCryptoReasons('unknown', 'unknown', 'unknown')).toEqual([]);
  });

  it('works on decoder output end to end', () => {
    expect(weakCryptoReasons(decodeCipherHex('6801'), decodeHashHex('8003'), decodeKeyExchangeHex('a400'))).toHaveLength(3);
    expect(weakCryptoReasons(decodeCipherHex('6603'), decodeHashHex('8004'), decodeKeyExchangeHex('ae06'))).toEqual(['3DES cipher']);
  });
});
