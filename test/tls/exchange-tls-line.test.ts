// Exchange TLS negotiation lines: real ones copied verbatim from the shared corpus, plus composed variants
// for spellings no real sample shows. Inputs are inline; the tests never read ../shared.

import { describe, expect, it } from 'vitest';
import { parseExchangeTlsFailure, parseExchangeTlsLine, type ExchangeTls } from '../../src/tls/exchange-tls-line.js';

// ipban/Exchange/smtp_auth_successful.log line 13 (IPBan, MIT): GCM suite, MAC strength 0, X25519 = 255 bits.
const IPBAN_RECV =
  '2020-04-02T07:57:37.490Z,SRV-XCH03\\External Authenticated Relay,08D7D4D2EFBC4CC6,7,192.168.0.101:10587,180.20.20.20:50767,*,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 255 bits"';
// Its context column alone, as the SMTP parser passes it.
const IPBAN_CONTEXT =
  'TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 255 bits';

// artefacts.help/RECV2023011116-1.LOG line 12 (Qazeer/artefacts.help, CC0).
const ARTEFACTS_RECV =
  '2023-01-11T16:00:01.010Z,SERVER-HOSTNAME\\Default Frontend SERVER-HOSTNAME,123453EC62278461,7,10.10.10.10:25,95.10.20.33:56026,*,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"';

// unattributed/smtpsend_excerpt_zh_ad-trust-case.log line 1: SMTP Send, TLS 1.0 client, CALG_ECDHE spelling.
const ZH_SEND =
  '2019-11-04T06:00:35.402Z,组织内 SMTP 发送连接器,08D760DF231F00BC,27,10.**.**.31:37964,10.**.**.168:25,*,,"TLS protocol SP_PROT_TLS1_0_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDHE with strength 256 bits"';

// ipban/Exchange/smtp_auth_unsuccessful.log line 58: non-GCM strengths (384/384).
const IPBAN_2023 =
  '2023-08-31T02:18:14.246Z,EXCH\\Default Frontend EXCH,08DB994D2DD19B09,7,172.16.101.13:25,54.212.131.181:45404,*,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 384 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits"';

/** Composed from the §4.3 template: only the tokens and strengths vary. */
function composed(protocol: string, cipher: string, cipherBits: number, hash: string, hashBits: number, kex: string, kexBits: number): string {
  return `TLS protocol ${protocol} negotiation succeeded using bulk encryption algorithm ${cipher} with strength ${cipherBits} bits, MAC hash algorithm ${hash} with strength ${hashBits} bits and key exchange algorithm ${kex} with strength ${kexBits} bits`;
}

describe('parseExchangeTlsLine on real samples', () => {
  it('IPBan receive log: TLS 1.2, AES-256, SHA-384 at 0 bits, ECDH_EPHEM at 255 bits', () => {
    const expected: ExchangeTls = {
      protocol: 'TLS 1.2',
      protocolCode: 'SP_PROT_TLS1_2_SERVER',
      cipher: 'AES-256',
      cipherCode: 'CALG_AES_256',
      cipherBits: 256,
      hash: 'SHA-384',
      hashCode: 'CALG_SHA_384',
      hashBits: 0,
      keyExchange: 'ECDHE',
      keyExchangeCode: 'CALG_ECDH_EPHEM',
      keyExchangeBits: 255,
    };
    expect(parseExchangeTlsLine(IPBAN_RECV)).toEqual(expected);
    expect(parseExchangeTlsLine(IPBAN_CONTEXT)).toEqual(expected);
  });

  it('artefacts.help receive log: TLS 1.2, AES-128, SHA-256 at 0 bits', () => {
    expect(parseExchangeTlsLine(ARTEFACTS_RECV)).toEqual({
      protocol: 'TLS 1.2',
      protocolCode: 'SP_PROT_TLS1_2_SERVER',
      cipher: 'AES-128',
      cipherCode: 'CALG_AES_128',
      cipherBits: 128,
      hash: 'SHA-256',
      hashCode: 'CALG_SHA_256',
      hashBits: 0,
      keyExchange: 'ECDHE',
      keyExchangeCode: 'CALG_ECDH_EPHEM',
      keyExchangeBits: 256,
    });
  });

  it('zh send log: SP_PROT_TLS1_0_CLIENT and CALG_ECDHE', () => {
    expect(parseExchangeTlsLine(ZH_SEND)).toEqual({
      protocol: 'TLS 1.0',
      protocolCode: 'SP_PROT_TLS1_0_CLIENT',
      cipher: 'AES-256',
      cipherCode: 'CALG_AES_256',
      cipherBits: 256,
      hash: 'SHA-1',
      hashCode: 'CALG_SHA1',
      hashBits: 160,
      keyExchange: 'ECDHE',
      keyExchangeCode: 'CALG_ECDHE',
      keyExchangeBits: 256,
    });
  });

  it('IPBan 2023 line: non-zero MAC strength', () => {
    expect(parseExchangeTlsLine(IPBAN_2023)).toMatchObject({ hash: 'SHA-384', hashBits: 384, keyExchangeBits: 384 });
  });
});

describe('parseExchangeTlsLine on composed spellings', () => {
  it('CALG_ECDHE and CALG_ECDH_EPHEM both read as ECDHE, codes kept as logged', () => {
    const a = parseExchangeTlsLine(composed('SP_PROT_TLS1_2_SERVER', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_ECDHE', 256));
    const b = parseExchangeTlsLine(composed('SP_PROT_TLS1_2_SERVER', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_ECDH_EPHEM', 256));
    expect([a?.keyExchange, a?.keyExchangeCode]).toEqual(['ECDHE', 'CALG_ECDHE']);
    expect([b?.keyExchange, b?.keyExchangeCode]).toEqual(['ECDHE', 'CALG_ECDH_EPHEM']);
  });

  it('SP_PROT_TLS1_SERVER and SP_PROT_TLS1_0_SERVER both read as TLS 1.0', () => {
    for (const protocol of ['SP_PROT_TLS1_SERVER', 'SP_PROT_TLS1_0_SERVER']) {
      const r = parseExchangeTlsLine(composed(protocol, 'CALG_AES_256', 256, 'CALG_SHA1', 160, 'CALG_ECDH_EPHEM', 256));
      expect([r?.protocol, r?.protocolCode]).toEqual(['TLS 1.0', protocol]);
    }
  });

  it('reads *_CLIENT protocols from Send logs', () => {
    expect(parseExchangeTlsLine(composed('SP_PROT_TLS1_2_CLIENT', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_ECDH_EPHEM', 384))?.protocol).toBe('TLS 1.2');
    expect(parseExchangeTlsLine(composed('SP_PROT_TLS1_1_CLIENT', 'CALG_AES_128', 128, 'CALG_SHA1', 160, 'CALG_RSA_KEYX', 2048))?.protocol).toBe('TLS 1.1');
    expect(parseExchangeTlsLine(composed('SP_PROT_SSL3_CLIENT', 'CALG_RC4', 128, 'CALG_MD5', 128, 'CALG_RSA_KEYX', 1024))?.protocol).toBe('SSL 3.0');
  });

  it('reads a numeric protocol (an enum value without a name) as decimal: 4096 = TLS 1.3 server', () => {
    const r = parseExchangeTlsLine(composed('4096', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_ECDH_EPHEM', 256));
    expect([r?.protocol, r?.protocolCode]).toEqual(['TLS 1.3', '4096']);
  });

  it('reads RSA and DHE key exchange and 3DES', () => {
    const r = parseExchangeTlsLine(composed('SP_PROT_TLS1_0_SERVER', 'CALG_3DES', 168, 'CALG_SHA1', 160, 'CALG_DH_EPHEM', 1024));
    expect(r).toMatchObject({ protocol: 'TLS 1.0', cipher: '3DES', cipherBits: 168, keyExchange: 'DHE', keyExchangeBits: 1024 });
    expect(parseExchangeTlsLine(composed('SP_PROT_TLS1_2_SERVER', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_RSA_KEYX', 2048))?.keyExchange).toBe('RSA');
  });

  it('keeps unknown tokens as codes and decodes them to unknown', () => {
    const r = parseExchangeTlsLine(composed('SP_PROT_FUTURE_SERVER', 'CALG_CHACHA20', 256, '32781', 0, 'CALG_X', 253));
    expect(r).toEqual({
      protocol: 'unknown',
      protocolCode: 'SP_PROT_FUTURE_SERVER',
      cipher: 'unknown',
      cipherCode: 'CALG_CHACHA20',
      cipherBits: 256,
      hash: 'SHA-384', // 32781 = 0x800d, a numeric AlgorithmId
      hashCode: '32781',
      hashBits: 0,
      keyExchange: 'unknown',
      keyExchangeCode: 'CALG_X',
      keyExchangeBits: 253,
    });
  });

  it('returns null for text without a negotiation line', () => {
    for (const text of [
      '',
      'STARTTLS',
      "TlsDomainCapabilities='None'; Status='NoRemoteCertificate'",
      'TLS negotiation failed with error SocketError',
      'TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256', // cut short
    ]) {
      expect(parseExchangeTlsLine(text)).toBeNull();
    }
  });
});

describe('parseExchangeTlsFailure', () => {
  it('returns the error token', () => {
    expect(parseExchangeTlsFailure('TLS negotiation failed with error SocketError')).toBe('SocketError');
    expect(parseExchangeTlsFailure('TLS negotiation failed with error UnknownCredentials')).toBe('UnknownCredentials');
    expect(parseExchangeTlsFailure('2024-03-11T08:00:02.187Z,EX01\\To Internet,08DC41A2B7C3D002,5,10.20.0.15:41234,203.0.113.9:25,*,,TLS negotiation failed with error NoCredentials')).toBe('NoCredentials');
  });

  it('returns null otherwise', () => {
    expect(parseExchangeTlsFailure('')).toBeNull();
    expect(parseExchangeTlsFailure('Remote(SocketError)')).toBeNull();
    expect(parseExchangeTlsFailure(ARTEFACTS_RECV)).toBeNull();
  });
});
