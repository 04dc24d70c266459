// The synthetic client population of an Exchange front end, as data: who connects, from where, with which
// User-Agent, to which endpoints, over which TLS suite. It does not build log lines (see requests.ts, iis-traffic.ts).
import { createRandom, hashSeed } from './random.js';

/** The four crypt-* values exactly as IIS writes them (lowercase hex, no 0x, `-` for plain HTTP). */
export interface CryptFields {
  readonly protocol: string;
  readonly cipher: string;
  readonly hash: string;
  readonly keyExchange: string;
}

export const SUITES = {
  // TLS 1.3: IIS reports the suite hash (AES_256_GCM_SHA384 → 800d) and ECDHE (ae06)
  'tls13-aes256': { protocol: '1000', cipher: '6610', hash: '800d', keyExchange: 'ae06' },
  'tls13-aes128': { protocol: '1000', cipher: '660e', hash: '800c', keyExchange: 'ae06' },
  'tls12-ecdhe-aes256-sha384': { protocol: '400', cipher: '6610', hash: '800d', keyExchange: 'ae06' },
  'tls12-ecdhe-aes128-sha256': { protocol: '400', cipher: '660e', hash: '800c', keyExchange: 'ae06' },
  'tls11-ecdhe-aes128-sha1': { protocol: '100', cipher: '660e', hash: '8004', keyExchange: 'ae06' },
  'tls11-rsa-aes128-sha1': { protocol: '100', cipher: '660e', hash: '8004', keyExchange: 'a400' },
  'tls10-rsa-aes256-sha1': { protocol: '40', cipher: '6610', hash: '8004', keyExchange: 'a400' },
  'tls10-rsa-aes128-sha1': { protocol: '40', cipher: '660e', hash: '8004', keyExchange: 'a400' },
  'tls10-ecdhe-aes256-sha1': { protocol: '40', cipher: '6610', hash: '8004', keyExchange: 'ae06' },
  'tls10-rsa-3des-sha1': { protocol: '40', cipher: '6603', hash: '8004', keyExchange: 'a400' },
  'ssl3-rsa-rc4-md5': { protocol: '10', cipher: '6801', hash: '8003', keyExchange: 'a400' },
  'plain-http': { protocol: '-', cipher: '-', hash: '-', keyExchange: '-' },
} as const satisfies Record<string, CryptFields>;

export type SuiteName = keyof typeof SUITES;

export type EndpointKind =
  | 'owa' | 'ecp' | 'ews' | 'eas' | 'mapi' | 'rpc' | 'autodiscover' | 'oab' | 'powershell'
  | 'healthcheck' | 'http-root' | 'scan';

/** normal: mostly 2xx/3xx with some 401 challenges and errors; the others always answer the same way. */
export type Behavior = 'normal' | 'always-401' | 'not-found' | 'redirect';

export interface ClientProfile {
  readonly id: string;
  readonly count: number;
  /** `server` = the front end itself (Managed Availability); otherwise hosts prefix + (first + i). */
  readonly ip: 'server' | { readonly prefix: string; readonly first: number };
  /** `{name}` is replaced by a distinct user name per host; `-` = anonymous. */
  readonly user: string;
  /** As IIS writes it: spaces already replaced by `+`; `-` when the client sent none. */
  readonly ua: string;
  readonly uaByEndpoint?: Partial<Record<EndpointKind, string>>;
  /** Share of all requests for the whole profile (relative to the other profiles). */
  readonly weight: number;
  readonly endpoints: Partial<Record<EndpointKind, number>>;
  readonly suites: Partial<Record<SuiteName, number>>;
  readonly behavior: Behavior;
  readonly device?: { readonly type: string; readonly idPrefix: string };
  /** Browsers send a Referer on OWA/ECP requests. */
  readonly browser?: boolean;
  /** Reaches IIS through this reverse proxy: c-ip is the proxy, OriginalClientIP the host. */
  readonly viaProxy?: string;
}

const SELF = 'server' as const;
const EDGE_WIN11 =
  'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/122.0.0.0+Safari/537.36+Edg/122.0.2365.92';

export const CLIENT_PROFILES: readonly ClientProfile[] = [
  // --- TLS 1.2 / 1.3: the large majority ---
  { id: 'outlook-365-win10', count: 40, ip: { prefix: '10.30.1.', first: 20 }, user: 'CONTOSO\\{name}',
    ua: 'Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17328;+Pro)', weight: 330,
    endpoints: { mapi: 12, ews: 3, autodiscover: 2, oab: 1 }, suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal' },
  { id: 'outlook-2013-rpc', count: 4, ip: { prefix: '10.30.3.', first: 10 }, user: 'CONTOSO\\{name}',
    ua: 'Microsoft+Office/15.0+(Windows+NT+6.3;+Microsoft+Outlook+15.0.5589;+Pro)', uaByEndpoint: { rpc: 'MSRPC' },
    weight: 25, endpoints: { rpc: 10, autodiscover: 2, oab: 1 }, suites: { 'tls12-ecdhe-aes128-sha256': 1 }, behavior: 'normal' },
  { id: 'iphone-activesync', count: 20, ip: { prefix: '198.51.100.', first: 10 }, user: '{name}@contoso.com',
    ua: 'Apple-iPhone15C2/2104.248', weight: 150, endpoints: { eas: 20, autodiscover: 1 },
    suites: { 'tls12-ecdhe-aes256-sha384': 3, 'tls13-aes128': 1 }, behavior: 'normal',
    device: { type: 'iPhone', idPrefix: 'Appl' } },
  { id: 'edge-win11-owa', count: 10, ip: { prefix: '10.30.5.', first: 10 }, user: 'CONTOSO\\{name}', ua: EDGE_WIN11,
    weight: 60, endpoints: { owa: 10, ecp: 1 }, suites: { 'tls13-aes256': 1 }, behavior: 'normal', browser: true },
  { id: 'chrome-win11-owa', count: 6, ip: { prefix: '203.0.113.', first: 20 }, user: '{name}@contoso.com',
    ua: 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/122.0.0.0+Safari/537.36',
    weight: 35, endpoints: { owa: 1 }, suites: { 'tls13-aes256': 1 }, behavior: 'normal', browser: true },
  { id: 'firefox-current-owa', count: 4, ip: { prefix: '203.0.113.', first: 40 }, user: '{name}@contoso.com',
    ua: 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64;+rv:123.0)+Gecko/20100101+Firefox/123.0', weight: 20,
    endpoints: { owa: 1 }, suites: { 'tls13-aes128': 1 }, behavior: 'normal', browser: true },
  { id: 'ie11-compat-view-owa', count: 3, ip: { prefix: '10.30.4.', first: 70 }, user: 'CONTOSO\\{name}',
    ua: 'Mozilla/4.0+(compatible;+MSIE+7.0;+Windows+NT+10.0;+WOW64;+Trident/7.0;+.NET4.0C;+.NET4.0E)', weight: 15,
    endpoints: { owa: 1 }, suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal', browser: true },
  { id: 'safari-via-reverse-proxy', count: 4, ip: { prefix: '203.0.113.', first: 140 }, user: '{name}@contoso.com',
    ua: 'Mozilla/5.0+(Macintosh;+Intel+Mac+OS+X+10_15_7)+AppleWebKit/605.1.15+(KHTML,+like+Gecko)+Version/17.3+Safari/605.1.15',
    weight: 20, endpoints: { owa: 6, ecp: 1 }, suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal',
    browser: true, viaProxy: '10.20.0.5' },
  { id: 'apple-mail-ews', count: 5, ip: { prefix: '198.51.100.', first: 60 }, user: '{name}@contoso.com',
    ua: 'AppleExchangeWebServices/814.80.3+accountsd/113', weight: 25, endpoints: { ews: 6, autodiscover: 1 },
    suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal' },
  { id: 'ews-managed-api-app', count: 1, ip: { prefix: '10.40.0.', first: 32 }, user: 'CONTOSO\\svc-sync',
    ua: 'ExchangeServicesClient/15.00.0913.015', weight: 8, endpoints: { ews: 1 },
    suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal' },
  { id: 'python-requests-script', count: 1, ip: { prefix: '10.40.0.', first: 30 }, user: 'svc-report@contoso.com',
    ua: 'python-requests/2.31.0', weight: 8, endpoints: { ews: 1 }, suites: { 'tls12-ecdhe-aes256-sha384': 1 },
    behavior: 'normal' },
  { id: 'curl-monitor', count: 1, ip: { prefix: '10.40.0.', first: 31 }, user: 'CONTOSO\\svc-monitor', ua: 'curl/8.5.0',
    weight: 4, endpoints: { autodiscover: 1, ews: 1 }, suites: { 'tls12-ecdhe-aes128-sha256': 1 }, behavior: 'normal' },
  { id: 'admin-remote-powershell', count: 1, ip: { prefix: '10.40.0.', first: 5 }, user: 'CONTOSO\\exadmin',
    ua: 'Microsoft+WinRM+Client', weight: 6, endpoints: { powershell: 1 }, suites: { 'tls12-ecdhe-aes256-sha384': 1 },
    behavior: 'normal' },
  { id: 'managed-availability-probe', count: 1, ip: SELF,
    user: 'HealthMailbox3c1b2a90d4e84f6b9a7c5d1e2f3a4b5c@contoso.com', ua: 'AMProbe/Local/ClientAccess', weight: 50,
    endpoints: { owa: 2, ews: 2, eas: 2, mapi: 2, rpc: 1, ecp: 1, autodiscover: 1, oab: 1 },
    suites: { 'tls12-ecdhe-aes256-sha384': 1 }, behavior: 'normal',
    device: { type: 'EASProbeDeviceType', idPrefix: 'EASProbeDeviceId' } },
  { id: 'load-balancer-healthcheck', count: 2, ip: { prefix: '10.20.0.', first: 2 }, user: '-', ua: '-', weight: 40,
    endpoints: { healthcheck: 1 }, suites: { 'tls12-ecdhe-aes128-sha256': 1 }, behavior: 'normal' },

  // --- legacy TLS / SSL: a visible minority ---
  { id: 'outlook-2010-win7', count: 6, ip: { prefix: '10.30.2.', first: 40 }, user: 'CONTOSO\\{name}',
    ua: 'Microsoft+Office/14.0+(Windows+NT+6.1;+Microsoft+Outlook+14.0.7268;+Pro)', uaByEndpoint: { rpc: 'MSRPC' },
    weight: 25, endpoints: { rpc: 10, autodiscover: 2, ews: 2, oab: 1 }, suites: { 'tls10-rsa-aes256-sha1': 1 },
    behavior: 'normal' },
  { id: 'android-4.2-activesync', count: 2, ip: { prefix: '198.51.100.', first: 120 }, user: 'CONTOSO\\{name}',
    ua: 'Android/4.2.2-EAS-1.3', weight: 8, endpoints: { eas: 10, autodiscover: 1 },
    suites: { 'tls10-rsa-aes128-sha1': 1 }, behavior: 'normal', device: { type: 'Android', idPrefix: 'androidc' } },
  { id: 'ie10-win7-owa', count: 2, ip: { prefix: '10.30.4.', first: 60 }, user: 'CONTOSO\\{name}',
    ua: 'Mozilla/5.0+(compatible;+MSIE+10.0;+Windows+NT+6.1;+WOW64;+Trident/6.0)', weight: 8,
    endpoints: { owa: 10, ecp: 1 }, suites: { 'tls10-rsa-aes256-sha1': 1 }, behavior: 'normal', browser: true },
  { id: 'dotnet45-ews-app', count: 1, ip: { prefix: '10.40.0.', first: 21 }, user: 'CONTOSO\\svc-crm',
    ua: 'MS+Web+Services+Client+Protocol+4.0.30319.42000', weight: 10, endpoints: { ews: 1 },
    suites: { 'tls10-ecdhe-aes256-sha1': 1 }, behavior: 'normal' },
  { id: 'java7-app', count: 1, ip: { prefix: '10.40.0.', first: 22 }, user: 'CONTOSO\\svc-erp', ua: 'Java/1.7.0_80',
    weight: 6, endpoints: { ews: 5, autodiscover: 1 }, suites: { 'tls11-ecdhe-aes128-sha1': 1 }, behavior: 'normal' },
  // Windows XP Schannel has no AES: IE 8 there negotiates 3DES over TLS 1.0
  { id: 'xp-ie8-3des', count: 1, ip: { prefix: '10.30.9.', first: 15 }, user: 'CONTOSO\\{name}',
    ua: 'Mozilla/4.0+(compatible;+MSIE+8.0;+Windows+NT+5.1;+Trident/4.0)', weight: 3, endpoints: { owa: 1 },
    suites: { 'tls10-rsa-3des-sha1': 1 }, behavior: 'normal', browser: true },
  { id: 'windows-mobile-rc4-ssl3', count: 1, ip: { prefix: '198.51.100.', first: 200 }, user: 'CONTOSO\\{name}',
    ua: 'MSFT-PPC/5.2.5082', weight: 1.5, endpoints: { eas: 1 }, suites: { 'ssl3-rsa-rc4-md5': 1 },
    behavior: 'normal', device: { type: 'PocketPC', idPrefix: '' } },
  { id: 'scanner-no-ua', count: 1, ip: { prefix: '203.0.113.', first: 66 }, user: '-', ua: '-', weight: 6,
    endpoints: { scan: 1 }, suites: { 'tls10-rsa-aes256-sha1': 1 }, behavior: 'not-found' },
  { id: 'mac-outlook-2011-always-401', count: 1, ip: { prefix: '203.0.113.', first: 90 }, user: '-',
    ua: 'MacOutlook/14.7.7.170905+(Intel+Mac+OS+X+Version+10.12.6+(Build+16G29))', weight: 4,
    endpoints: { ews: 4, autodiscover: 1 }, suites: { 'tls11-rsa-aes128-sha1': 1 }, behavior: 'always-401' },

  // --- plain HTTP on port 80, redirected to HTTPS ---
  { id: 'http-redirect', count: 8, ip: { prefix: '10.30.6.', first: 10 }, user: '-', ua: EDGE_WIN11, weight: 30,
    endpoints: { 'http-root': 1 }, suites: { 'plain-http': 1 }, behavior: 'redirect' },
];

export interface ClientInstance {
  readonly key: string;
  readonly profile: ClientProfile;
  /** null = the front-end server's own address. */
  readonly ip: string | null;
  readonly user: string;
  /** The bare account name, as ActiveSync puts it in `User=`. */
  readonly account: string;
  readonly mailboxGuid: string;
  readonly deviceId: string;
  readonly weight: number;
}

const NAMES = [
  'jdoe', 'asmith', 'bjones', 'cwilliams', 'dbrown', 'edavis', 'fmiller', 'gwilson', 'hmoore', 'itaylor',
  'janderson', 'kthomas', 'ljackson', 'mwhite', 'nharris', 'omartin', 'pthompson', 'qgarcia', 'rmartinez',
  'srobinson', 'tclark', 'urodriguez', 'vlewis', 'wlee', 'xwalker', 'yhall', 'zallen', 'ayoung', 'bking',
  'cwright', 'dlopez', 'ehill', 'fscott', 'ggreen', 'hadams', 'ibaker', 'jgonzalez', 'knelson', 'lcarter',
  'mmitchell', 'nperez', 'oroberts', 'pturner', 'qphillips', 'rcampbell', 'sparker', 'tevans', 'uedwards',
  'vcollins', 'wstewart', 'xsanchez', 'ymorris', 'zrogers', 'areed', 'bcook', 'cmorgan', 'dbell', 'emurphy',
  'fbailey', 'grivera', 'hcooper', 'irichardson', 'jcox', 'khoward', 'lward', 'mtorres', 'npeterson', 'ogray',
  'pramirez', 'qjames', 'rwatson', 'sbrooks', 'tkelly', 'usanders', 'vprice', 'wbennett', 'xwood', 'ybarnes',
  'zross', 'ahenderson', 'bcoleman', 'cjenkins', 'dperry', 'epowell', 'flong', 'gpatterson', 'hhughes',
  'iflores', 'jwashington', 'kbutler', 'lsimmons', 'mfoster', 'ngonzales', 'obryant', 'palexander', 'qrussell',
  'rgriffin', 'sdiaz', 'thayes', 'umyers', 'vford', 'whamilton', 'xgraham', 'ysullivan', 'zwallace', 'awoods',
  'bcole', 'cwest', 'djordan', 'eowens', 'freynolds', 'gfisher', 'hellis', 'iharrison', 'jgibson', 'kmcdonald',
  'lcruz', 'mmarshall', 'nortiz', 'ogomez', 'pmurray', 'qfreeman', 'rwells', 'swebb', 'tsimpson', 'ustevens',
];

/** Expands the profiles into hosts; user names are handed out in order so every host has its own. */
export function expandPopulation(profiles: readonly ClientProfile[] = CLIENT_PROFILES): ClientInstance[] {
  const instances: ClientInstance[] = [];
  let nameIndex = 0;
  for (const profile of profiles) {
    for (let i = 0; i < profile.count; i++) {
      const key = `${profile.id}#${i}`;
      const random = createRandom(hashSeed('client', key));
      const account = profile.user.includes('{name}') ? NAMES[nameIndex++ % NAMES.length] : accountOf(profile.user);
      const guid = random.hex(32);
      instances.push({
        key,
        profile,
        ip: profile.ip === SELF ? null : `${profile.ip.prefix}${profile.ip.first + i}`,
        user: profile.user.replace('{name}', account),
        account,
        mailboxGuid: `${guid.slice(0, 8)}-${guid.slice(8, 12)}-${guid.slice(12, 16)}-${guid.slice(16, 20)}-${guid.slice(20)}`,
        deviceId: profile.device ? `${profile.device.idPrefix}${random.hex(20).toUpperCase()}`.slice(0, 32) : '',
        weight: profile.weight / profile.count,
      });
    }
  }
  return instances;
}

function accountOf(user: string): string {
  if (user === '-') return '-';
  const afterDomain = user.slice(user.lastIndexOf('\\') + 1);
  const at = afterDomain.indexOf('@');
  return at >= 0 ? afterDomain.slice(0, at) : afterDomain;
}
