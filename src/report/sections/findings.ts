// The report's findings beyond the protocol version: weak cryptography and blind spots (src/clients/ reads them),
// redacted like the rest of a report, and a short text section. Whole database, not the report's window.
import { describeBlindSpots, readBlindSpots, type BlindSpots, type Finding } from './blind-spots.js';
import { readWeakCrypto, type WeakCryptoSummary } from './weak-crypto.js';
import type { Db } from '../../store/open-database.js';
import { clean, wrapWords } from '../strings.js';

export interface FindingsSection {
  /** Null for a database older than schema 4. */
  readonly weakCrypto: WeakCryptoSummary | null;
  readonly blindSpots: BlindSpots;
  /** The blind spots as formatters show them: a sentence and its items each, made from `blindSpots`. */
  readonly blindSpotFindings: readonly Finding[];
}

/** The section from its data: the sentences are made here, once, not by each formatter. */
export function findingsSection(weakCrypto: WeakCryptoSummary | null, blindSpots: BlindSpots): FindingsSection {
  return { weakCrypto, blindSpots, blindSpotFindings: describeBlindSpots(blindSpots) };
}

export function readFindings(db: Db): FindingsSection {
  return findingsSection(readWeakCrypto(db, 5), readBlindSpots(db));
}

type Pseudonym = (kind: 'ip' | 'user', value: string | null) => string | null;

/** Addresses and user names become pseudonyms; the blind-spot counts stay. */
export function redactFindings(f: FindingsSection | null | undefined, p: Pseudonym): FindingsSection | null {
  if (!f) return null;
  const w = f.weakCrypto;
  const b = f.blindSpots;
  return findingsSection(
    w === null ? null : { ...w, top: w.top.map((r) => ({ ...r, clientIp: p('ip', r.clientIp), username: p('user', r.username) })) },
    {
      ...b,
      sharedAddresses: b.sharedAddresses.map((s) => ({ ...s, clientIp: p('ip', s.clientIp) ?? '' })),
      proxies: b.proxies.map((x) => ({ ...x, proxyIp: p('ip', x.proxyIp) ?? '' })),
    },
  );
}

const WIDTH = 100;
const n = (x: number): string => x.toLocaleString('en-US');
const clients = (x: number): string => `${n(x)} ${x === 1 ? 'client' : 'clients'}`;

const wrap = (text: string, first: string, rest: string): string[] => wrapWords(text, WIDTH, first, rest, false);

/** Text lines (each at most 100 columns), starting with a blank line; nothing when there is nothing to say. */
export function formatFindingsText(f: FindingsSection | null | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  const w = f.weakCrypto;
  if (w !== null && (w.byWeakness.length > 0 || w.tls12NotO365.clients > 0)) {
    out.push('', 'Weak cryptography, on any TLS version (whole database; SELECT * FROM weak_crypto)');
    for (const g of w.byWeakness.slice(0, 6)) {
      out.push(clean(`  ${clients(g.clients)}, ${n(g.hits)} hits: ${g.weakness}`, WIDTH));
    }
    if (w.tls12NotO365.clients > 0) {
      out.push(`  ${clients(w.tls12NotO365.clients)}, ${n(w.tls12NotO365.hits)} hits: TLS 1.2 with a suite Office 365 does not accept`);
    }
    for (const r of w.top.filter((x) => x.protocol === 'TLS 1.2' || x.protocol === 'TLS 1.3')) {
      const suite = [r.keyExchange, r.cipher, r.hash].map((x) => x ?? '-').join(' ');
      out.push(clean(`    ${r.protocol} ${suite}: ${r.clientIp ?? '-'} ${r.client ?? r.userAgent ?? '-'} (${n(r.hits)} hits)`, WIDTH));
    }
  }
  const findings = f.blindSpotFindings;
  if (findings.length > 0) {
    out.push('', 'Blind spots (whole database)');
    for (const x of findings) {
      out.push(...wrap(`- ${x.text}`, '  ', '    '));
      for (const item of x.items.slice(0, 5)) out.push(clean(`      ${item}`, WIDTH));
      if (x.items.length > 5) out.push(`      … ${x.items.length - 5} more`);
    }
  }
  return out;
}
