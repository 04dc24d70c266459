// The report as JSON for pipelines: a stable, documented shape (README "JSON shape") with a `schema` version.
// The mapping is spelled out field by field so internal changes never leak into it; new fields only ever get added.
import { ENTRA_LEGACY_LABEL } from '../tls/legacy.js';
import { flaggedHits, protocolsOf, type FormatOptions, type SiteVerdict, type Summary } from './model.js';
import { ACTION_TITLES } from './plan.js';
import type { FindingsSection } from './sections/findings.js';

/** Bump only for a change that breaks a reader (a field removed, renamed or retyped); adding a field keeps it. */
export const JSON_SCHEMA_VERSION = 1;

/** One per-source verdict row, as in `verdicts[]` and each server's `sources[]`. */
function verdictJson(v: SiteVerdict) {
  return {
    source: v.source,
    server: v.server,
    site: v.site,
    safeToDisable: v.verdict,
    hits: v.hits,
    legacyHits: v.legacyHits,
    noiseHits: v.noiseHits,
    noiseClasses: v.noiseClasses,
    exceptedHits: v.exceptedHits,
    exceptedClients: v.exceptedClients,
    ownHits: v.ownHits,
    ownClients: v.ownClients,
    legacyClients: v.realLegacyClients,
    legacyPeople: v.realLegacyPeople,
    noTlsFieldHits: v.noTlsFieldHits,
    unknownReason: v.unknownReason,
    firstDay: v.firstDay,
    lastDay: v.lastDay,
    dependencies: v.dependencies.map((d) => ({
      clientIp: d.clientIp, name: d.name, username: d.username, legacyHits: d.legacyHits, lastDay: d.lastDay,
    })),
    moreDependencies: v.moreDependencies,
    evidence: v.evidence,
  };
}

export function toJson(s: Summary, opts: FormatOptions) {
  return {
    schema: JSON_SCHEMA_VERSION,
    database: opts.db,
    redacted: s.redacted,
    window: {
      since: s.filter.since,
      until: s.filter.until,
      days: s.filter.days,
      servers: s.filter.servers,
      sources: s.filter.sources,
      firstDay: s.firstDay,
      lastDay: s.lastDay,
      newestEvent: s.newestSeen,
    },
    totals: s.totals.map((t) => ({ source: t.source, protocol: t.protocol, hits: t.hits, clients: t.clients, share: t.share })),
    servers: s.machines.map((m) => ({
      server: m.server,
      safeToDisable: m.verdict,
      headline: m.headline,
      days: m.days,
      minDays: m.minDays,
      shortWindow: m.shortWindow,
      firstDay: m.firstDay,
      lastDay: m.lastDay,
      blockers: m.blockers.map((b) => ({ kind: b.kind, source: b.source, site: b.site, clients: b.clients, people: b.people, hits: b.hits, text: b.text })),
      unknowns: m.unknowns.map((u) => ({ reason: u.reason, source: u.source, site: u.site, hits: u.hits, text: u.text })),
      sources: m.sources.map(verdictJson),
    })),
    plan: s.plans.map((p) => ({
      server: p.server,
      safeToDisable: p.verdict,
      headline: p.headline,
      waitingFor: p.waitingFor,
      actions: p.actions.map((a) => ({
        kind: a.kind,
        title: ACTION_TITLES[a.kind],
        client: a.client,
        hint: a.hint,
        hits: a.hits,
        owner: a.owner,
        people: a.people.map((x) => ({ username: x.username, clientIp: x.clientIp, exception: x.exception })),
      })),
      change: p.change && {
        before: p.change.before,
        roles: p.change.roles,
        clientKeys: p.change.clientKeys,
        powershell: p.change.powershell,
        reg: p.change.reg,
        reboot: p.change.reboot,
        verify: p.change.verify,
      },
    })),
    verdicts: s.verdicts.map(verdictJson),
    legacy: {
      clients: s.legacyClients,
      hits: s.legacyHits,
      listed: s.legacy.length,
      noiseClients: s.noise.reduce((n, g) => n + g.clients, 0),
      noiseHits: s.noise.reduce((n, g) => n + g.hits, 0),
      exceptedClients: s.excepted.clients,
      exceptedHits: s.excepted.hits,
      people: s.legacyPeople,
      peopleListed: s.people.length,
    },
    legacyPeople: s.people.map((p) => ({
      source: p.source,
      clientIp: p.clientIp,
      username: p.username,
      protocols: protocolsOf(p),
      legacyHits: p.legacyHits,
      hitsByProtocol: {
        'SSL 2.0': p.ssl2Hits, 'SSL 3.0': p.ssl3Hits, 'TLS 1.0': p.tls10Hits, 'TLS 1.1': p.tls11Hits, [ENTRA_LEGACY_LABEL]: flaggedHits(p),
      },
      account: p.account,
      sameUserAsAbove: p.sameUserAsAbove,
      modernHits: p.modernHits,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      servers: p.servers,
      endpoints: p.endpoints,
      internal: p.internal,
      agents: p.agents.map((c) => ({
        userAgent: c.userAgent,
        client: c.client,
        tls12Capable: c.tls12Capable,
        hint: c.hint,
        protocols: protocolsOf(c),
        legacyHits: c.legacyHits,
        modernHits: c.modernHits,
        exception: c.exception && { match: c.exception.match, value: c.exception.value, reason: c.exception.reason, expires: c.exception.expires },
      })),
    })),
    legacyClients: s.legacy.map((c) => ({
      source: c.source,
      clientIp: c.clientIp,
      username: c.username,
      userAgent: c.userAgent,
      client: c.client,
      tls12Capable: c.tls12Capable,
      noise: c.noise,
      hint: c.hint,
      protocols: protocolsOf(c),
      legacyHits: c.legacyHits,
      hitsByProtocol: {
        'SSL 2.0': c.ssl2Hits, 'SSL 3.0': c.ssl3Hits, 'TLS 1.0': c.tls10Hits, 'TLS 1.1': c.tls11Hits, [ENTRA_LEGACY_LABEL]: flaggedHits(c),
      },
      modernHits: c.modernHits,
      authFailures: c.authFailures,
      errors: c.errors,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      servers: c.servers,
      endpoints: c.endpoints,
      internal: c.internal,
      exception: c.exception && { match: c.exception.match, value: c.exception.value, reason: c.exception.reason, expires: c.exception.expires },
    })),
    noise: s.noise.map((g) => ({ class: g.noise, clients: g.clients, hits: g.hits, addresses: g.addresses })),
    daily: s.daily.map((d) => ({
      day: d.day, hits: d.hits, legacyShare: d.legacyShare, legacyHits: d.legacyHits, realLegacyHits: d.realLegacyHits,
      legacyPeople: d.legacyPeople,
    })),
    endpoints: s.endpoints.map((e) => ({
      source: e.source,
      endpoint: e.endpoint,
      hits: e.hits,
      legacyHits: e.legacyHits,
      legacyClients: e.legacyClients,
      hitsByProtocol: e.protocols,
    })),
    plain: { hits: s.plain.hits, clients: s.plain.clients },
    unknown: { hits: s.unknown.hits, codes: s.unknown.codes.map((c) => ({ code: c.code, hits: c.hits })) },
    files: {
      read: s.files.read,
      skipped: s.files.skipped,
      failed: s.files.failed,
      lines: s.files.lines,
      badLines: s.files.badLines,
      unread: s.files.unread.map((u) => ({ path: u.path, status: u.status, reason: u.reason })),
      inferred: s.files.inferred.map((x) => ({ path: x.path, format: x.format, layout: x.layout })),
      problems: s.files.problems.map((p) => ({ path: p.path, code: p.code, count: p.count, firstLine: p.firstLine, message: p.message })),
      withoutTlsFields: {
        files: s.withoutTlsFields.files,
        hits: s.withoutTlsFields.hits,
        examples: s.withoutTlsFields.examples,
      },
    },
    findings: findingsJson(s.findings),
    // The mail sections as the text report shows them (same fields as src/report/sections/*.ts); null when absent.
    exchangeServer: s.exchange ?? null,
    exchangeOnline: s.exo ?? null,
  };
}

/** Weak cryptography and blind spots, whole database; null when the report has none (schema older than 4). */
function findingsJson(f: FindingsSection | null | undefined) {
  if (!f) return null;
  const w = f.weakCrypto;
  return {
    weakCrypto:
      w === null
        ? null
        : {
            byWeakness: w.byWeakness.map((g) => ({ weakness: g.weakness, clients: g.clients, hits: g.hits })),
            tls12NotO365: { clients: w.tls12NotO365.clients, hits: w.tls12NotO365.hits },
            top: w.top.map((r) => ({
              source: r.source, clientIp: r.clientIp, username: r.username, userAgent: r.userAgent, client: r.client,
              protocol: r.protocol, cipher: r.cipher, hash: r.hash, keyExchange: r.keyExchange, weakness: r.weakness,
              o365Suite: r.o365Suite, hits: r.hits, lastSeen: r.lastSeen,
            })),
          },
    blindSpots: f.blindSpotFindings.map((x) => ({ id: x.id, text: x.text, items: x.items })),
  };
}

export type JsonReport = ReturnType<typeof toJson>;

export function formatJson(s: Summary, opts: FormatOptions): string {
  return JSON.stringify(toJson(s, opts), null, 2) + '\n';
}
