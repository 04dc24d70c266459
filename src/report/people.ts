// People and devices: the legacy clients (one per user agent) of one (source, username, client_ip) grouped, so
// "20 clients" that are 12 people with an Outlook and its Outlook Anywhere connection count as 12; then the rows of
// one account (an Entra ID sign-in user and the same user on IIS or Exchange) listed together. Pure; no SQL.
import type { LegacyClient, LegacyPerson } from './model.js';

/** The key of a person or device; the same as the legacy_people view's. */
export const personKey = (c: { source: string; clientIp: string | null; username: string | null }): string =>
  JSON.stringify([c.source, c.username, c.clientIp]);

/**
 * The account a user name names, to put one person's rows of every source together: the name after a `DOMAIN\`
 * and before an `@`, in lower case. `CONTOSO\jdoe`, `jdoe@contoso.com` and `JDoe` are one account; this assumes a
 * user's UPN prefix is its account name (the default) and puts the same name of two domains together (only listed
 * together: counts and verdicts never add them up). The legacy_people view's `account` column is the same (SQL).
 */
export function accountOf(username: string | null): string | null {
  if (username === null) return null;
  let u = username;
  const slash = u.indexOf('\\');
  if (slash >= 0) u = u.slice(slash + 1);
  const at = u.indexOf('@');
  if (at >= 0) u = u.slice(0, at);
  u = u.trim().toLowerCase();
  return u === '' ? null : u;
}

const union = (lists: readonly (readonly string[])[]): string[] => [...new Set(lists.flat())].sort();

/**
 * Groups clients in the order given (the first agent of a person places it), then orders people by legacy hits
 * (most first), last seen (newest first), then by key, so the output never depends on scan order.
 */
export function groupPeople(clients: readonly LegacyClient[]): LegacyPerson[] {
  const groups = new Map<string, LegacyClient[]>();
  for (const c of clients) {
    const key = personKey(c);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [c]);
    else list.push(c);
  }
  const people = [...groups.entries()].map(([key, agents]): LegacyPerson & { key: string } => {
    const sum = (f: (c: LegacyClient) => number): number => agents.reduce((n, c) => n + f(c), 0);
    const first = agents[0];
    return {
      key,
      source: first.source,
      clientIp: first.clientIp,
      username: first.username,
      legacyHits: sum((c) => c.legacyHits),
      ssl2Hits: sum((c) => c.ssl2Hits),
      ssl3Hits: sum((c) => c.ssl3Hits),
      tls10Hits: sum((c) => c.tls10Hits),
      tls11Hits: sum((c) => c.tls11Hits),
      modernHits: sum((c) => c.modernHits),
      firstSeen: agents.map((c) => c.firstSeen).sort()[0],
      lastSeen: agents.map((c) => c.lastSeen).sort().at(-1) ?? first.lastSeen,
      servers: union(agents.map((c) => c.servers)),
      endpoints: union(agents.map((c) => c.endpoints)),
      internal: agents.every((c) => c.internal),
      agents,
      account: accountOf(first.username),
      sameUserAsAbove: false,
    };
  });
  people.sort(
    (a, b) =>
      Number(a.internal) - Number(b.internal) ||
      b.legacyHits - a.legacyHits ||
      (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return together(people.map(({ key: _key, ...p }) => p));
}

/** Each account's rows where its first one stands, in their order; the others keep theirs. */
function together(people: readonly LegacyPerson[]): LegacyPerson[] {
  const byAccount = new Map<string, LegacyPerson[]>();
  for (const p of people) {
    if (p.account === null) continue;
    const list = byAccount.get(p.account);
    if (list === undefined) byAccount.set(p.account, [p]);
    else list.push(p);
  }
  const out: LegacyPerson[] = [];
  for (const p of people) {
    if (p.account === null) out.push(p);
    else if (byAccount.get(p.account)?.[0] === p) {
      byAccount.get(p.account)?.forEach((q, i) => out.push({ ...q, sameUserAsAbove: i > 0 }));
    }
  }
  return out;
}
