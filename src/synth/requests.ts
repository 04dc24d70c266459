// Turns "client X calls endpoint Y" into the request-level IIS values (method, stem, query, status, user, UA…).
// It does not pick clients, timestamps or TLS suites, and writes nothing (see iis-traffic.ts).
import type { ClientInstance, EndpointKind } from './clients.js';
import { randomGuid, type Random } from './random.js';

export interface SyntheticRequest {
  readonly method: string;
  readonly stem: string;
  /** `-` when empty, as IIS writes it. */
  readonly query: string;
  readonly user: string;
  readonly userAgent: string;
  readonly referer: string;
  readonly status: number;
  readonly substatus: number;
  readonly win32: number;
  /** Milliseconds. */
  readonly timeTaken: number;
}

type Base = Pick<SyntheticRequest, 'method' | 'stem' | 'query' | 'status' | 'timeTaken'>;

const OAB_GUID = '5b0f6c1e-8a3d-4f27-9c4e-2d7a1b6e0f93';
const EAS_COMMANDS = ['Sync', 'Sync', 'Sync', 'Ping', 'Ping', 'FolderSync', 'GetItemEstimate', 'SendMail', 'ItemOperations'];
const OWA_ACTIONS = ['GetItem', 'FindItem', 'FindConversation', 'GetConversationItems', 'GetCalendarView', 'UpdateItem'];
const SCAN_PATHS = [
  '/.env', '/wp-login.php', '/phpmyadmin/index.php', '/.git/config', '/admin/config.php', '/cgi-bin/luci',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/solr/admin/info/system', '/actuator/health', '/owa/auth/x.js',
];
const REDIRECT_PATHS = ['/', '/owa', '/owa/', '/ecp/', '/', '/owa/'];
/** IIS "401 challenge" pairs: 401.2 win32 5 (anonymous refused) and 401.1 SEC_E_INVALID_TOKEN-style NTLM step. */
const CHALLENGES: readonly (readonly [number, number])[] = [[2, 5], [1, 2148074254]];
const ERRORS: readonly (readonly [number, number, number])[] = [
  [500, 0, 0], [503, 0, 0], [404, 0, 2], [400, 0, 0], [500, 0, 64],
];

const between = (random: Random, lo: number, hi: number): number => lo + random.int(hi - lo + 1);
/** Exchange's front end (HttpProxy) appends these to every query it proxies. */
const cafe = (random: Random): string => `&CorrelationID=<empty>;&cafeReqId=${randomGuid(random)};`;
const smtpOf = (client: ClientInstance): string => `${client.account === '-' ? 'mailbox' : client.account}@contoso.com`;

function baseRequest(client: ClientInstance, endpoint: EndpointKind, random: Random): Base {
  switch (endpoint) {
    case 'owa': {
      const roll = random.next();
      if (roll < 0.15) return { method: 'GET', stem: '/owa/', query: '-', status: random.chance(0.3) ? 302 : 200, timeTaken: between(random, 5, 60) };
      if (roll < 0.25) {
        const stem = '/owa/prem/15.2.1544.4/resources/images/0/sprite1.mouse.png';
        return { method: 'GET', stem, query: '-', status: 200, timeTaken: between(random, 0, 15) };
      }
      if (roll < 0.4) {
        const query = `ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=${randomGuid(random)}${cafe(random)}`;
        return { method: 'POST', stem: '/owa/ev.owa2', query, status: 200, timeTaken: between(random, 20_000, 120_000) };
      }
      const query = `action=${random.pick(OWA_ACTIONS)}&app=Mail&n=${between(random, 1, 400)}${cafe(random)}`;
      return { method: 'POST', stem: '/owa/service.svc', query, status: 200, timeTaken: between(random, 15, 400) };
    }
    case 'ecp':
      if (random.chance(0.4)) return { method: 'GET', stem: '/ecp/', query: '-', status: 200, timeTaken: between(random, 20, 300) };
      return { method: 'POST', stem: '/ecp/DDI/DDIService.svc/GetList', query: `schema=MailboxService&msExchEcpCanary=${random.hex(32)}${cafe(random)}`,
        status: 200, timeTaken: between(random, 40, 900) };
    case 'ews':
      return { method: 'POST', stem: '/EWS/Exchange.asmx', query: cafe(random), status: 200, timeTaken: between(random, 10, 450) };
    case 'eas': {
      const device = client.profile.device ?? { type: 'Unknown', idPrefix: '' };
      if (random.chance(0.03)) {
        return { method: 'OPTIONS', stem: '/Microsoft-Server-ActiveSync/default.eas', query: cafe(random), status: 200, timeTaken: between(random, 1, 20) };
      }
      const cmd = random.pick(EAS_COMMANDS);
      const query = `Cmd=${cmd}&User=${client.account}&DeviceId=${client.deviceId}&DeviceType=${device.type}${cafe(random)}`;
      const timeTaken = cmd === 'Ping' ? between(random, 300_000, 900_000) : between(random, 20, 800);
      return { method: 'POST', stem: '/Microsoft-Server-ActiveSync/default.eas', query, status: 200, timeTaken };
    }
    case 'mapi': {
      const stem = random.chance(0.85) ? '/mapi/emsmdb/' : '/mapi/nspi/';
      const wait = stem === '/mapi/emsmdb/' && random.chance(0.1);
      return { method: 'POST', stem, query: `MailboxId=${client.mailboxGuid}@contoso.com${cafe(random)}`, status: 200,
        timeTaken: wait ? between(random, 30_000, 300_000) : between(random, 5, 250) };
    }
    case 'rpc':
      return { method: random.chance(0.5) ? 'RPC_IN_DATA' : 'RPC_OUT_DATA', stem: '/rpc/rpcproxy.dll',
        query: `${client.mailboxGuid}@contoso.com:6001${cafe(random)}`, status: 200, timeTaken: between(random, 60_000, 900_000) };
    case 'autodiscover':
      if (random.chance(0.3)) {
        const protocol = random.pick(['ActiveSync', 'EWS', 'Rest']);
        return { method: 'GET', stem: '/autodiscover/autodiscover.json', query: `Email=${smtpOf(client)}&Protocol=${protocol}&RedirectCount=1${cafe(random)}`,
          status: 200, timeTaken: between(random, 5, 120) };
      }
      return { method: 'POST', stem: '/Autodiscover/Autodiscover.xml', query: cafe(random), status: 200, timeTaken: between(random, 10, 300) };
    case 'oab': {
      const stem = random.chance(0.8) ? `/OAB/${OAB_GUID}/oab.xml` : `/OAB/${OAB_GUID}/${OAB_GUID}-data-1.lzx`;
      return { method: 'GET', stem, query: cafe(random), status: 200, timeTaken: between(random, 5, 2_000) };
    }
    case 'powershell':
      return { method: 'POST', stem: '/PowerShell',
        query: `serializationLevel=Full;ExchClientVer=15.2.1544.4;clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.5576${cafe(random)}`,
        status: 200, timeTaken: between(random, 50, 2_500) };
    case 'healthcheck':
      return { method: 'GET', stem: '/owa/healthcheck.htm', query: '-', status: 200, timeTaken: between(random, 0, 3) };
    case 'http-root':
      return { method: 'GET', stem: random.pick(REDIRECT_PATHS), query: '-', status: 301, timeTaken: between(random, 0, 2) };
    case 'scan':
      return { method: random.chance(0.8) ? 'GET' : 'POST', stem: random.pick(SCAN_PATHS), query: '-', status: 404, timeTaken: between(random, 0, 10) };
  }
}

/** One request of `client` to `endpoint`, with the profile's behaviour (challenges, errors, fixed answers) applied. */
export function buildRequest(client: ClientInstance, endpoint: EndpointKind, random: Random): SyntheticRequest {
  const profile = client.profile;
  const base = baseRequest(client, endpoint, random);
  const userAgent = profile.uaByEndpoint?.[endpoint] ?? profile.ua;
  const referer = profile.browser && (endpoint === 'owa' || endpoint === 'ecp') && random.chance(0.6)
    ? `https://mail.contoso.com/${endpoint}/` : '-';
  const request = { ...base, user: client.user, userAgent, referer, substatus: 0, win32: 0 };
  switch (profile.behavior) {
    case 'always-401':
      return { ...request, user: '-', status: 401, substatus: 1, win32: 2148074254, timeTaken: between(random, 0, 15) };
    case 'not-found':
      return { ...request, status: 404, win32: 2 };
    case 'redirect':
      return { ...request, status: 301 };
    case 'normal': {
      if (client.user !== '-' && random.chance(0.06)) {
        const [substatus, win32] = random.pick(CHALLENGES);
        return { ...request, user: '-', status: 401, substatus, win32, timeTaken: between(random, 0, 15) };
      }
      if (random.chance(0.012)) {
        const [status, substatus, win32] = random.pick(ERRORS);
        return { ...request, status, substatus, win32 };
      }
      return random.chance(0.004) ? { ...request, win32: 64 } : request;
    }
  }
}
