// The plan per machine: what to do before TLS 1.0/1.1 can go — the real legacy clients grouped by what to do
// (upgrade, replace, fix an app, …) with the people and devices named and an owner left blank for the admin — and,
// once the machine's verdict is yes, the server-side change (server-change.ts). Pure over the Summary's parts.
import { HINTS, NOISE_HINTS, type HintId } from '../clients/hints.js';
import type { ActionKind, LegacyClient, MachinePlan, MachineVerdict, PlanAction, PlanPerson, Role, ServerChange } from './model.js';
import { machineKey } from './machine-verdict.js';
import { powershellOf, REBOOT_NOTE, regOf, verifySteps } from './server-change.js';


/** What kind of work each fix hint is; a new hint must say (the `satisfies` makes it). */
const KIND_OF_HINT = {
  dotnet4: 'app', dotnet40: 'app', dotnet2: 'app', powershell5: 'app', ewsManagedApi: 'app', java7: 'app', java6: 'app',
  curlOld: 'app', python: 'app', tlsLibrary: 'app',
  win7winhttp: 'windows', winrm: 'windows', outlookWin7: 'windows', outlookAnywhere: 'windows',
  outlook2010: 'upgrade', outlook2007: 'upgrade', outlookMac2011: 'upgrade', skypeOld: 'upgrade', skypeUpdate: 'upgrade',
  teamsRooms: 'upgrade', surfaceHub: 'upgrade', ieOld: 'upgrade', ie10Win8: 'upgrade', firefoxOld: 'upgrade',
  safariOld: 'upgrade', chromeOld: 'upgrade', appleMail: 'upgrade',
  windowsXp: 'replace', ieAncient: 'replace', androidOld: 'replace', android44: 'replace', windowsPhone8: 'replace',
  windowsMobile: 'replace', iosOld: 'replace',
  printer: 'infrastructure', smtpHost: 'infrastructure', healthCheck: 'infrastructure',
  probe: 'server', scanner: 'investigate',
} as const satisfies Record<HintId, ActionKind>;

/** Headings, in the order a plan lists them. */
export const ACTION_TITLES: Readonly<Record<ActionKind, string>> = {
  replace: 'Replace the device',
  upgrade: 'Upgrade or update the client',
  windows: 'Windows settings on the client machine',
  app: 'Fix the app or its runtime (service accounts, scripts)',
  infrastructure: 'Printers, relays and monitors',
  server: "This server's own components",
  investigate: 'Find out what it is, then fix it',
};
const ORDER = Object.keys(ACTION_TITLES) as ActionKind[];

const HINT_IDS = new Map<string, HintId>(Object.entries(HINTS).map(([id, text]) => [text, id as HintId]));
const NOISE_TEXTS = new Set<string>(Object.values(NOISE_HINTS));

/** Noise that needs a change (its own probes, monitors); challenge-only clients and scanners need none. */
const PLANNED = (c: LegacyClient): boolean => c.noise === null || c.noise === 'managed-availability' || c.noise === 'health-check';

function kindOf(c: LegacyClient): ActionKind {
  const id = c.hint === null ? undefined : HINT_IDS.get(c.hint);
  if (id !== undefined) return KIND_OF_HINT[id];
  if (c.internal || (c.hint !== null && NOISE_TEXTS.has(c.hint))) return 'server';
  return 'investigate';
}

/** Legacy use of the machine as a client: SMTP Send sessions on a legacy protocol, and whether it has Send logs. */
export interface Outbound {
  readonly legacyHits: number;
  readonly sendLogs: boolean;
}

function clientKeysOf(server: string, out: Outbound | undefined): { include: boolean; why: string } {
  if (out === undefined || !out.sendLogs) {
    return {
      include: false,
      why: `Client keys left out: no SMTP Send log of ${server} was read, so its own outbound connections are not seen. ` +
        'Add the Client keys for SSL 3.0, TLS 1.0 and TLS 1.1 once they are known to use TLS 1.2 (Send connector protocol logging).',
    };
  }
  if (out.legacyHits > 0) {
    return {
      include: false,
      why: `Client keys left out: ${server} itself still sends ${out.legacyHits} SMTP sessions on TLS 1.0/1.1 ` +
        '(source smtp-send): disabling its client side now would break that mail flow.',
    };
  }
  return { include: true, why: `Client keys included: ${server}'s own outbound SMTP (Send logs) uses TLS 1.2 or later only.` };
}

const peopleText = (n: number): string => `${n} ${n === 1 ? 'person or device' : 'people or devices'}`;

/** A yes machine can still have excepted clients and load-balancer health checks on TLS 1.0/1.1: they break. */
function beforeOf(clients: readonly LegacyClient[]): string[] {
  const out: string[] = [];
  const excepted = new Set(clients.filter((c) => c.exception !== null).map((c) => JSON.stringify([c.username, c.clientIp])));
  if (excepted.size > 0) {
    out.push(`${peopleText(excepted.size)} under known exceptions still use TLS 1.0/1.1 here (listed above): they stop working ` +
      'once the Server keys are set. Wait for them, or accept it.');
  }
  const monitors = clients.filter((c) => c.noise === 'health-check').length;
  if (monitors > 0) {
    out.push(`${monitors} load-balancer or monitor health check(s) still use TLS 1.0/1.1 here: switch them to TLS 1.2 first, ` +
      'or they mark the server down.');
  }
  return out;
}

function actionsOf(clients: readonly LegacyClient[]): PlanAction[] {
  const groups = new Map<string, { kind: ActionKind; client: string | null; hint: string | null; list: LegacyClient[] }>();
  for (const c of clients) {
    const kind = kindOf(c);
    const client = c.client ?? c.userAgent;
    const key = JSON.stringify([kind, client, c.hint]);
    const g = groups.get(key) ?? { kind, client, hint: c.hint, list: [] };
    g.list.push(c);
    groups.set(key, g);
  }
  const actions = [...groups.values()].map((g): PlanAction => {
    const people = new Map<string, PlanPerson>();
    for (const c of g.list) {
      const key = JSON.stringify([c.username, c.clientIp]);
      const exception = c.exception === null ? null : `until ${c.exception.expires}: ${c.exception.reason}`;
      people.set(key, { username: c.username, clientIp: c.clientIp, exception: people.get(key)?.exception ?? exception });
    }
    return {
      kind: g.kind, client: g.client, hint: g.hint, people: [...people.values()],
      hits: g.list.reduce((n, c) => n + c.legacyHits, 0), owner: '',
    };
  });
  return actions.sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.people.length - a.people.length || b.hits - a.hits ||
      (a.client ?? '').localeCompare(b.client ?? '', 'en'),
  );
}

/**
 * One plan per machine verdict. `clients`: every legacy client of the window; real ones (known exceptions included:
 * they are still to fix), the server's own probes and health checks get actions, challenge-only clients and scanners
 * none (they need no change). `outbound`: per machineKey.
 */
export function buildPlans(
  machines: readonly MachineVerdict[],
  clients: readonly LegacyClient[],
  outbound: ReadonlyMap<string, Outbound>,
): MachinePlan[] {
  return machines.map((m) => {
    const key = machineKey(m.server);
    const mine = clients.filter((c) => PLANNED(c) && c.servers.some((s) => machineKey(s) === key));
    const server = m.server ?? '(no server name)';
    let change: ServerChange | null = null;
    if (m.verdict === 'yes') {
      const keys = clientKeysOf(server, outbound.get(key));
      const roles: Role[] = keys.include ? ['Server', 'Client'] : ['Server'];
      change = {
        before: beforeOf(mine),
        roles, clientKeys: keys.why, powershell: powershellOf(server, roles), reg: regOf(roles), reboot: REBOOT_NOTE,
        verify: verifySteps(server),
      };
    }
    return {
      server: m.server,
      verdict: m.verdict,
      headline: m.headline,
      actions: actionsOf(mine),
      change,
      waitingFor: m.verdict === 'yes' ? [] : [...m.blockers.map((b) => b.text), ...m.unknowns.map((u) => u.text)],
    };
  });
}
