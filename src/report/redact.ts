// --redact: user names and client addresses become keyed pseudonyms (HMAC-SHA256 under a per-report key), so
// the same client keeps the same pseudonym throughout one report but reports cannot be joined or reversed.
import { createHmac, randomBytes } from 'node:crypto';
import { evidenceOf } from './breakdowns.js';
import type { LegacyClient, SiteVerdict, Summary } from './model.js';
import { redactExchangeSection } from './sections/exchange.js';
import { redactExoSection } from './sections/exo.js';
import { redactFindings } from './sections/findings.js';

export type Pseudonymizer = (kind: 'ip' | 'user', value: string | null) => string | null;

/** A fresh random key per report unless one is given (tests pass a fixed key). */
export function pseudonymizer(key: Buffer = randomBytes(32)): Pseudonymizer {
  const memo = new Map<string, string>();
  return (kind, value) => {
    if (value === null) return null;
    const id = `${kind}\u0000${value}`;
    let p = memo.get(id);
    if (p === undefined) {
      // 48 bits: a collision among a few thousand names has odds below 1 in 10^7.
      p = `${kind}-${createHmac('sha256', key).update(id).digest('hex').slice(0, 12)}`;
      memo.set(id, p);
    }
    return p;
  };
}

export function redact(s: Summary, p: Pseudonymizer = pseudonymizer()): Summary {
  const client = (c: LegacyClient): LegacyClient => ({ ...c, clientIp: p('ip', c.clientIp), username: p('user', c.username) });
  const verdict = (v: SiteVerdict): SiteVerdict => {
    const dependencies = v.dependencies.map((d) => ({ ...d, clientIp: p('ip', d.clientIp), username: p('user', d.username) }));
    return { ...v, dependencies, evidence: evidenceOf({ ...v, dependencies }) };
  };
  return {
    ...s,
    verdicts: s.verdicts.map(verdict),
    machines: s.machines.map((m) => ({ ...m, sources: m.sources.map(verdict) })),
    legacy: s.legacy.map(client),
    people: s.people.map((x) => ({
      ...x, clientIp: p('ip', x.clientIp), username: p('user', x.username), account: p('user', x.account), agents: x.agents.map(client),
    })),
    plans: s.plans.map((m) => ({
      ...m,
      actions: m.actions.map((a) => ({ ...a, people: a.people.map((x) => ({ ...x, username: p('user', x.username), clientIp: p('ip', x.clientIp) })) })),
    })),
    noise: s.noise.map((g) => ({ ...g, addresses: g.addresses.map((a) => p('ip', a) ?? '').sort() })),
    files: {
      ...s.files,
      // The first bad line's message may quote log text (addresses, names): keep where, drop what.
      problems: s.files.problems.map((x) => ({ ...x, message: 'message withheld (--redact)' })),
    },
    redacted: true,
    exo: redactExoSection(s.exo, (v) => p('user', v) ?? v),
    exchange: redactExchangeSection(s.exchange, p),
    findings: redactFindings(s.findings, p),
  };
}
