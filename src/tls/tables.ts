// Decode tables as data: SP_PROT_* protocol bits and CryptoAPI ALG_IDs (domain.md §1.5, §1.6, §4.3).
// Each entry carries its sample as IIS logs it (bare lowercase hex). Lookup code lives in decode.ts;
// this file holds no logic, and keys are the constant names Schannel, wincrypt or Exchange print.

export type ProtocolLabel =
  | 'SSL 2.0'
  | 'SSL 3.0'
  | 'TLS 1.0'
  | 'TLS 1.1'
  | 'TLS 1.2'
  | 'TLS 1.3'
  | 'TLS 1.0/1.1 or 3DES' // an Entra ID sign-in flagged "Legacy TLS (TLS 1.0, 1.1, 3DES)": which one is not said
  | 'TLS 1.2+' // an Entra ID sign-in whose processing details carry no such flag: TLS 1.2 or later
  | 'none'
  | 'failed'
  | 'unknown';

export interface ProtocolEntry {
  /** SP_PROT_* bit, as in SecPkgContext_ConnectionInfo.dwProtocol. */
  readonly code: number;
  /** What the census counts it as; PCT, DTLS and UNI are 'unknown' on purpose (never seen on IIS/SMTP). */
  readonly label: ProtocolLabel;
  /** The protocol the bit names, including the ones the census has no label for. */
  readonly version: string;
  readonly role: 'server' | 'client';
  /** `crypt-protocol` as IIS logs it. */
  readonly sample: string;
}

export interface AlgEntry {
  /** ALG_ID value. */
  readonly code: number;
  /** Readable name shared by the hex and the CALG_* decoders. */
  readonly name: string;
  /** The crypt-* field as IIS logs it. */
  readonly sample: string;
}

/**
 * SP_PROT_* values (schannel.h; Exchange's SchannelProtocols enum spells TLS 1.0 `TLS1_0`).
 * Aliases with the same value are separate keys so a name lookup is a plain key lookup.
 */
export const SP_PROT = {
  SP_PROT_PCT1_SERVER: { code: 0x1, label: 'unknown', version: 'PCT 1.0', role: 'server', sample: '1' },
  SP_PROT_PCT1_CLIENT: { code: 0x2, label: 'unknown', version: 'PCT 1.0', role: 'client', sample: '2' },
  SP_PROT_SSL2_SERVER: { code: 0x4, label: 'SSL 2.0', version: 'SSL 2.0', role: 'server', sample: '4' },
  SP_PROT_SSL2_CLIENT: { code: 0x8, label: 'SSL 2.0', version: 'SSL 2.0', role: 'client', sample: '8' },
  SP_PROT_SSL3_SERVER: { code: 0x10, label: 'SSL 3.0', version: 'SSL 3.0', role: 'server', sample: '10' },
  SP_PROT_SSL3_CLIENT: { code: 0x20, label: 'SSL 3.0', version: 'SSL 3.0', role: 'client', sample: '20' },
  SP_PROT_TLS1_SERVER: { code: 0x40, label: 'TLS 1.0', version: 'TLS 1.0', role: 'server', sample: '40' },
  SP_PROT_TLS1_0_SERVER: { code: 0x40, label: 'TLS 1.0', version: 'TLS 1.0', role: 'server', sample: '40' },
  SP_PROT_TLS1_CLIENT: { code: 0x80, label: 'TLS 1.0', version: 'TLS 1.0', role: 'client', sample: '80' },
  SP_PROT_TLS1_0_CLIENT: { code: 0x80, label: 'TLS 1.0', version: 'TLS 1.0', role: 'client', sample: '80' },
  SP_PROT_TLS1_1_SERVER: { code: 0x100, label: 'TLS 1.1', version: 'TLS 1.1', role: 'server', sample: '100' },
  SP_PROT_TLS1_1_CLIENT: { code: 0x200, label: 'TLS 1.1', version: 'TLS 1.1', role: 'client', sample: '200' },
  SP_PROT_TLS1_2_SERVER: { code: 0x400, label: 'TLS 1.2', version: 'TLS 1.2', role: 'server', sample: '400' },
  SP_PROT_TLS1_2_CLIENT: { code: 0x800, label: 'TLS 1.2', version: 'TLS 1.2', role: 'client', sample: '800' },
  SP_PROT_TLS1_3_SERVER: { code: 0x1000, label: 'TLS 1.3', version: 'TLS 1.3', role: 'server', sample: '1000' },
  SP_PROT_TLS1_3_CLIENT: { code: 0x2000, label: 'TLS 1.3', version: 'TLS 1.3', role: 'client', sample: '2000' },
  SP_PROT_DTLS_SERVER: { code: 0x10000, label: 'unknown', version: 'DTLS 1.0', role: 'server', sample: '10000' },
  SP_PROT_DTLS1_0_SERVER: { code: 0x10000, label: 'unknown', version: 'DTLS 1.0', role: 'server', sample: '10000' },
  SP_PROT_DTLS_CLIENT: { code: 0x20000, label: 'unknown', version: 'DTLS 1.0', role: 'client', sample: '20000' },
  SP_PROT_DTLS1_0_CLIENT: { code: 0x20000, label: 'unknown', version: 'DTLS 1.0', role: 'client', sample: '20000' },
  SP_PROT_DTLS1_2_SERVER: { code: 0x40000, label: 'unknown', version: 'DTLS 1.2', role: 'server', sample: '40000' },
  SP_PROT_DTLS1_2_CLIENT: { code: 0x80000, label: 'unknown', version: 'DTLS 1.2', role: 'client', sample: '80000' },
  SP_PROT_UNI_SERVER: { code: 0x40000000, label: 'unknown', version: 'Unified', role: 'server', sample: '40000000' },
  SP_PROT_UNI_CLIENT: { code: 0x80000000, label: 'unknown', version: 'Unified', role: 'client', sample: '80000000' },
} as const satisfies Record<string, ProtocolEntry>;

/** Bulk ciphers (`crypt-cipher`, Exchange "bulk encryption algorithm"). */
export const CIPHER_ALGS = {
  CALG_DES: { code: 0x6601, name: 'DES', sample: '6601' },
  CALG_RC2: { code: 0x6602, name: 'RC2', sample: '6602' },
  CALG_3DES: { code: 0x6603, name: '3DES', sample: '6603' },
  CALG_DESX: { code: 0x6604, name: 'DESX', sample: '6604' },
  CALG_3DES_112: { code: 0x6609, name: '3DES-112', sample: '6609' },
  CALG_SKIPJACK: { code: 0x660a, name: 'SKIPJACK', sample: '660a' },
  CALG_TEK: { code: 0x660b, name: 'TEK', sample: '660b' },
  CALG_CYLINK_MEK: { code: 0x660c, name: 'CYLINK-MEK', sample: '660c' },
  CALG_RC5: { code: 0x660d, name: 'RC5', sample: '660d' },
  CALG_AES_128: { code: 0x660e, name: 'AES-128', sample: '660e' },
  CALG_AES_192: { code: 0x660f, name: 'AES-192', sample: '660f' },
  CALG_AES_256: { code: 0x6610, name: 'AES-256', sample: '6610' },
  CALG_AES: { code: 0x6611, name: 'AES', sample: '6611' },
  CALG_RC4: { code: 0x6801, name: 'RC4', sample: '6801' },
  CALG_SEAL: { code: 0x6802, name: 'SEAL', sample: '6802' },
  // wincrypt.h: ALG_CLASS_DATA_ENCRYPT | ALG_TYPE_ANY | 0 = 3 << 13.
  CALG_NULLCIPHER: { code: 0x6000, name: 'NULL', sample: '6000' },
  // Not a CALG_* constant: SecPkgContext_ConnectionInfo.aiCipher is 0 for "no encryption" [domain.md: I].
  NONE: { code: 0, name: 'NULL', sample: '0' },
} as const satisfies Record<string, AlgEntry>;

/** MAC hashes (`crypt-hash`, Exchange "MAC hash algorithm"). */
export const HASH_ALGS = {
  CALG_MD2: { code: 0x8001, name: 'MD2', sample: '8001' },
  CALG_MD4: { code: 0x8002, name: 'MD4', sample: '8002' },
  CALG_MD5: { code: 0x8003, name: 'MD5', sample: '8003' },
  CALG_SHA: { code: 0x8004, name: 'SHA-1', sample: '8004' },
  CALG_SHA1: { code: 0x8004, name: 'SHA-1', sample: '8004' },
  CALG_MAC: { code: 0x8005, name: 'MAC', sample: '8005' },
  CALG_SSL3_SHAMD5: { code: 0x8008, name: 'SSL3-SHAMD5', sample: '8008' },
  CALG_HMAC: { code: 0x8009, name: 'HMAC', sample: '8009' },
  CALG_TLS1PRF: { code: 0x800a, name: 'TLS1-PRF', sample: '800a' },
  CALG_HASH_REPLACE_OWF: { code: 0x800b, name: 'HASH-REPLACE-OWF', sample: '800b' },
  CALG_SHA_256: { code: 0x800c, name: 'SHA-256', sample: '800c' },
  CALG_SHA_384: { code: 0x800d, name: 'SHA-384', sample: '800d' },
  CALG_SHA_512: { code: 0x800e, name: 'SHA-512', sample: '800e' },
} as const satisfies Record<string, AlgEntry>;

/** Key exchange (`crypt-keyexchange`, Exchange "key exchange algorithm"). */
export const KEY_EXCHANGE_ALGS = {
  CALG_RSA_KEYX: { code: 0xa400, name: 'RSA', sample: 'a400' },
  CALG_DH_SF: { code: 0xaa01, name: 'DH', sample: 'aa01' },
  CALG_DH_EPHEM: { code: 0xaa02, name: 'DHE', sample: 'aa02' },
  CALG_AGREEDKEY_ANY: { code: 0xaa03, name: 'AGREEDKEY-ANY', sample: 'aa03' },
  CALG_KEA_KEYX: { code: 0xaa04, name: 'KEA', sample: 'aa04' },
  CALG_ECDH: { code: 0xaa05, name: 'ECDH', sample: 'aa05' },
  CALG_ECDH_EPHEM: { code: 0xae06, name: 'ECDHE', sample: 'ae06' },
  // Not in wincrypt.h, but older Exchange builds print this name for 0xae06 (real 2019 SmtpSend sample).
  CALG_ECDHE: { code: 0xae06, name: 'ECDHE', sample: 'ae06' },
  CALG_ECMQV: { code: 0xa001, name: 'ECMQV', sample: 'a001' },
  CALG_OID_INFO_PARAMETERS: { code: 0xfffffffe, name: 'CNG-PARAMETERS', sample: 'fffffffe' },
  CALG_OID_INFO_CNG_ONLY: { code: 0xffffffff, name: 'CNG-ONLY', sample: 'ffffffff' },
} as const satisfies Record<string, AlgEntry>;

/**
 * Signature and Schannel-internal ALG_IDs. They should never reach the crypt-* fields; they are
 * mapped (through the key-exchange decoder) so a stray one reads as a name rather than 'unknown'.
 */
export const SCHANNEL_INTERNAL_ALGS = {
  CALG_NO_SIGN: { code: 0x2000, name: 'NO-SIGN', sample: '2000' },
  CALG_DSS_SIGN: { code: 0x2200, name: 'DSS-SIGN', sample: '2200' },
  CALG_ECDSA: { code: 0x2203, name: 'ECDSA', sample: '2203' },
  CALG_RSA_SIGN: { code: 0x2400, name: 'RSA-SIGN', sample: '2400' },
  CALG_SSL3_MASTER: { code: 0x4c01, name: 'SSL3-MASTER', sample: '4c01' },
  CALG_SCHANNEL_MASTER_HASH: { code: 0x4c02, name: 'SCHANNEL-MASTER-HASH', sample: '4c02' },
  CALG_SCHANNEL_MAC_KEY: { code: 0x4c03, name: 'SCHANNEL-MAC-KEY', sample: '4c03' },
  CALG_PCT1_MASTER: { code: 0x4c04, name: 'PCT1-MASTER', sample: '4c04' },
  CALG_SSL2_MASTER: { code: 0x4c05, name: 'SSL2-MASTER', sample: '4c05' },
  CALG_TLS1_MASTER: { code: 0x4c06, name: 'TLS1-MASTER', sample: '4c06' },
  CALG_SCHANNEL_ENC_KEY: { code: 0x4c07, name: 'SCHANNEL-ENC-KEY', sample: '4c07' },
} as const satisfies Record<string, AlgEntry>;
