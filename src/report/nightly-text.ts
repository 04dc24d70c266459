// Plain text of "what changed since the last scan": new legacy clients, clients moved to TLS 1.2+, clients gone.
// A pure function of Changes, at most 100 columns wide. (Known exceptions are marked by the report formatters.)
import type { ClientKey } from '../exceptions/exceptions.js';
import type { ChangedClient, Changes } from './changes.js';
import { clean, num } from './strings.js';

const who = (c: ClientKey): string =>
  [c.clientIp, c.username, c.userAgent].filter((v): v is string => v !== null).join('  ') || '(no address, user or agent)';

function clientLines(list: readonly ChangedClient[], top: number, detail: (c: ChangedClient) => string): string[] {
  const out = list.slice(0, top).map((c) => clean(`  ${c.source}: ${who(c)} (${detail(c)})`, 100));
  if (list.length > top) out.push(`  … ${list.length - top} more`);
  return out;
}

export function formatChanges(ch: Changes, top: number): string {
  const out: string[] = [];
  const since = ch.previousRun ? `since the previous run (${ch.previousRun.started.slice(0, 16).replace('T', ' ')} UTC)` : 'in the first run';
  out.push(`What changed ${since}`);
  if (ch.run === null) {
    out.push('  No finished scan recorded yet.');
    return out.join('\n') + '\n';
  }
  out.push(`  New legacy clients: ${num(ch.newClients.length)}`);
  out.push(...clientLines(ch.newClients, top, (c) => `${num(c.legacyHits)} legacy hits, first ${c.firstSeen.slice(0, 10)}`));
  out.push(`  Moved to TLS 1.2+ (no legacy hit after a modern one): ${num(ch.moved.length)}`);
  out.push(...clientLines(ch.moved, top, (c) => `last legacy ${c.lastSeen.slice(0, 10)}, TLS 1.2+ ${c.modernLastSeen?.slice(0, 10)}`));
  const newest = ch.newest === null ? '' : ` before ${ch.newest.slice(0, 10)}`;
  out.push(`  Not seen for ${ch.staleDays} days${newest}: ${num(ch.stale.length)}`);
  out.push(...clientLines(ch.stale, top, (c) => `last legacy ${c.lastSeen.slice(0, 10)}`));
  return out.join('\n') + '\n';
}
