// Exchange-specific clients as data: Outlook (Windows, Mac, mobile, Outlook Anywhere), ActiveSync devices, EWS
// clients, and the device classes of Microsoft's TLS 1.2 guidance (Teams Rooms, Surface Hub, Skype for Business).
import type { ClientRule, ClientMatch } from './types.js';
import { androidVerdict, compareVersions, onOs, osLabel, windowsName } from './ua-context.js';

const OFFICE_YEARS: ReadonlyMap<number, string> = new Map([
  [11, '2003'],
  [12, '2007'],
  [14, '2010'],
  [15, '2013'],
  [16, '2016+'],
]);

/** Office on Windows: 2007 and older cannot; Windows 7 needs KB3140245; 2010 is out of support. */
function officeVerdict(major: number, nt: number | null): Pick<ClientMatch, 'tls12' | 'hint'> {
  if (major <= 12) return { tls12: 'no', hint: 'outlook2007' };
  if (nt !== null && nt < 6.1) return { tls12: 'no', hint: 'windowsXp' };
  if (nt === 6.1) return { tls12: 'no', hint: major === 14 ? 'outlook2010' : 'outlookWin7' };
  if (major === 14) return { tls12: 'unknown', hint: 'outlook2010' };
  return { tls12: 'yes', hint: null };
}

const MAC_OS_VERSION = /Mac OS X (?:Version )?(\d+[._]\d+(?:[._]\d+)?)/;
const APPLE_DEVICE_EAS = /^Apple-(iPhone|iPad|iPod|Watch)(?:\d+C\d+)?\/(\d+)(\d\d)\.(\d+)/;

export const EXCHANGE_RULES: readonly ClientRule[] = [
  {
    id: 'outlook-anywhere',
    // RPC over HTTP: the Windows RPC proxy client (WinHTTP) sends just "MSRPC".
    test: (ctx) =>
      /^MSRPC$/i.test(ctx.ua.trim())
        ? { client: 'Outlook Anywhere (RPC/HTTP)', family: 'Outlook', version: null, os: null, tls12: 'unknown', hint: 'outlookAnywhere' }
        : null,
    matches: [{ ua: 'MSRPC', client: 'Outlook Anywhere (RPC/HTTP)', tls12: 'unknown' }],
    nonMatches: ['Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)'],
  },
  {
    id: 'skype-for-business',
    test: (ctx) => {
      const ucc = /UCCAPI\/(\d+)\.\d+/.exec(ctx.ua);
      const office = /Microsoft (?:Lync|Skype for Business) (\d+)\.\d+/.exec(ctx.ua);
      if (!ucc && !office && !/Skype for Business|Microsoft Lync/.test(ctx.ua)) return null;
      const major = Number((ucc ?? office)?.[1] ?? 0);
      const os = osLabel(ctx);
      const nt = ctx.windowsNt;
      const name = major === 4 ? 'Lync 2010' : major === 15 ? 'Lync 2013 / Skype for Business 2015' : major >= 16 ? 'Skype for Business 2016+' : 'Skype for Business';
      const base = { client: `${name}${onOs(os)}`, family: 'Skype for Business', version: major ? String(major) : null, os };
      if (major > 0 && major <= 4) return { ...base, tls12: 'no', hint: 'skypeOld' };
      if (nt !== null && nt <= 6.1) return { ...base, tls12: 'no', hint: nt < 6.1 ? 'windowsXp' : 'win7winhttp' };
      if (major >= 16) return { ...base, tls12: 'yes', hint: null };
      return { ...base, tls12: 'unknown', hint: 'skypeUpdate' };
    },
    matches: [
      { ua: 'UCCAPI/4.0.7577.314 OC/4.0.7577.314 (Microsoft Lync 2010)', client: 'Lync 2010', tls12: 'no' },
      { ua: 'UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)', client: 'Skype for Business 2016+', tls12: 'yes' },
      {
        ua: 'Microsoft Office/15.0 (Windows NT 6.1; Microsoft Lync 15.0.4569; Pro)',
        client: 'Lync 2013 / Skype for Business 2015 on Windows 7',
        tls12: 'no',
      },
      { ua: 'UCCAPI/15.0.5023.1000 OC/15.0.5023.1000 (Skype for Business)', client: 'Lync 2013 / Skype for Business 2015', tls12: 'unknown' },
    ],
    nonMatches: ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)'],
  },
  {
    id: 'office-windows',
    // "Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)": Office major 14 = 2010.
    test: (ctx) => {
      const m = /^Microsoft Office\/(\d+)\.\d+ \(([^)]*)\)/.exec(ctx.ua);
      if (!m) return null;
      const major = Number(m[1]);
      const app = /Microsoft (?:Office )?(Outlook|Word|Excel|PowerPoint|OneNote|Access|Publisher|Visio|Project)(?: ([\d.]+))?/.exec(m[2]);
      const name = app ? app[1] : 'Office app';
      const os = ctx.windowsNt !== null ? windowsName(ctx.windowsNt) : null;
      return {
        client: `${name} ${OFFICE_YEARS.get(major) ?? m[1] + '.0'}${onOs(os)}`,
        family: name === 'Outlook' ? 'Outlook' : 'Microsoft Office',
        version: app?.[2] ?? `${major}.0`,
        os,
        ...officeVerdict(major, ctx.windowsNt),
      };
    },
    matches: [
      { ua: 'Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)', client: 'Outlook 2010 on Windows 7', tls12: 'no' },
      { ua: 'Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5589; Pro)', client: 'Outlook 2013 on Windows 7', tls12: 'no' },
      {
        ua: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
        client: 'Outlook 2016+ on Windows 10/11',
        tls12: 'yes',
      },
      { ua: 'Microsoft Office/15.0 (Windows NT 6.3; Microsoft Outlook 15.0.5589; Pro)', client: 'Outlook 2013 on Windows 8.1', tls12: 'yes' },
      { ua: 'Microsoft Office/14.0 (Windows NT 10.0; Microsoft Outlook 14.0.7268; Pro)', client: 'Outlook 2010 on Windows 10/11', tls12: 'unknown' },
      { ua: 'Microsoft Office/12.0 (Windows NT 5.1; Microsoft Office Outlook 12.0.6739; Pro)', client: 'Outlook 2007 on Windows XP', tls12: 'no' },
      { ua: 'Microsoft Office/16.0 (Windows NT 6.1; Microsoft Excel 16.0.4266; Pro)', client: 'Excel 2016+ on Windows 7', tls12: 'no' },
    ],
    nonMatches: [
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Lync 16.0.4266; Pro)',
      'MacOutlook/16.80.23121017 (Intelx64 Mac OS X 14.2.1 (Build 23C71))',
    ],
  },
  {
    id: 'outlook-mac',
    test: (ctx) => {
      const m = /^MacOutlook\/(\d+)\.(\d+)/.exec(ctx.ua);
      if (!m) return null;
      const major = Number(m[1]);
      const mac = MAC_OS_VERSION.exec(ctx.ua);
      const os = mac ? `macOS ${mac[1].replace(/_/g, '.')}` : 'macOS';
      const old = major <= 14;
      return {
        client: `Outlook for Mac ${old ? '2011' : '2016+'}`,
        family: 'Outlook',
        version: `${m[1]}.${m[2]}`,
        os,
        tls12: old ? 'unknown' : 'yes',
        hint: old ? 'outlookMac2011' : null,
      };
    },
    matches: [
      { ua: 'MacOutlook/14.7.7.170905 (Intel Mac OS X Version 10.12.6 (Build 16G29))', client: 'Outlook for Mac 2011', tls12: 'unknown' },
      { ua: 'MacOutlook/16.80.23121017 (Intelx64 Mac OS X 14.2.1 (Build 23C71))', client: 'Outlook for Mac 2016+', tls12: 'yes' },
    ],
    nonMatches: ['Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)'],
  },
  {
    id: 'outlook-mobile',
    // Outlook for iOS/Android reaches on-premises Exchange through Microsoft's cloud service, which does TLS 1.2.
    test: (ctx) => {
      const m = /^Outlook-(iOS-Android|iOS|Android)\/([\d.]+)/.exec(ctx.ua);
      if (!m) return null;
      const os = m[1] === 'iOS-Android' ? null : m[1];
      return { client: m[1] === 'iOS-Android' ? 'Outlook mobile (cloud service)' : `Outlook for ${m[1]}`, family: 'Outlook', version: m[2], os, tls12: 'yes', hint: null };
    },
    matches: [
      { ua: 'Outlook-iOS/709.2189947.prod.iphone (3.24.1)', client: 'Outlook for iOS', tls12: 'yes' },
      { ua: 'Outlook-iOS-Android/1.0', client: 'Outlook mobile (cloud service)', tls12: 'yes' },
    ],
    nonMatches: ['Apple-iPhone15C2/2104.248'],
  },
  {
    id: 'apple-activesync',
    // "Apple-iPhone15C2/2104.248": 2104.248 is build 21D248, and build train 21 is iOS 17 (train - 4).
    test: (ctx) => {
      const m = APPLE_DEVICE_EAS.exec(ctx.ua);
      if (!m) return null;
      const train = Number(m[2]);
      const letter = String.fromCharCode(64 + Number(m[3]));
      const ios = train - 4;
      const old = ios < 5;
      return {
        client: `${m[1]} ActiveSync (iOS ${ios})`,
        family: 'ActiveSync',
        version: `${train}${letter}${m[4]}`,
        os: `iOS ${ios}`,
        tls12: old ? 'no' : 'yes',
        hint: old ? 'iosOld' : null,
      };
    },
    matches: [
      { ua: 'Apple-iPhone15C2/2104.248', client: 'iPhone ActiveSync (iOS 17)', tls12: 'yes' },
      { ua: 'Apple-iPad3C1/1202.466', client: 'iPad ActiveSync (iOS 8)', tls12: 'yes' },
      { ua: 'Apple-iPhone/704.11', client: 'iPhone ActiveSync (iOS 3)', tls12: 'no' },
    ],
    nonMatches: ['iOS/12.4 (16G77) dataaccessd/1.0', 'AppleExchangeWebServices/814.80.3 accountsd/113'],
  },
  {
    id: 'ios-activesync',
    test: (ctx) => {
      const m = /^iOS\/(\d+(?:\.\d+){0,2}) \((\w+)\) dataaccessd/.exec(ctx.ua);
      if (!m) return null;
      const old = compareVersions(m[1], '5') < 0;
      return {
        client: `iPhone ActiveSync (iOS ${m[1]})`,
        family: 'ActiveSync',
        version: m[2],
        os: `iOS ${m[1]}`,
        tls12: old ? 'no' : 'yes',
        hint: old ? 'iosOld' : null,
      };
    },
    matches: [{ ua: 'iOS/12.4 (16G77) dataaccessd/1.0', client: 'iPhone ActiveSync (iOS 12.4)', tls12: 'yes' }],
    nonMatches: ['Apple-iPhone11C8/1607.77'],
  },
  {
    id: 'android-activesync',
    test: (ctx) => {
      const m = /^Android\/(\d+(?:\.\d+){0,2})-EAS-([\d.]+)/.exec(ctx.ua);
      if (!m) return null;
      const v = m[1];
      return { client: `Android ActiveSync (Android ${v})`, family: 'ActiveSync', version: m[2], os: `Android ${v}`, ...androidVerdict(v) };
    },
    matches: [
      { ua: 'Android/4.2.2-EAS-1.3', client: 'Android ActiveSync (Android 4.2.2)', tls12: 'no' },
      { ua: 'Android/4.4.4-EAS-2.0', client: 'Android ActiveSync (Android 4.4.4)', tls12: 'unknown' },
      { ua: 'Android/10-EAS-2.0', client: 'Android ActiveSync (Android 10)', tls12: 'yes' },
    ],
    nonMatches: ['Dalvik/1.6.0 (Linux; U; Android 4.2.2; GT-I9100 Build/JDQ39)'],
  },
  {
    id: 'samsung-activesync',
    test: (ctx) => {
      const m = /^SAMSUNG-([A-Z0-9-]+)\/([\d.]+)/i.exec(ctx.ua);
      if (!m) return null;
      return { client: `Samsung Email ActiveSync (${m[1]})`, family: 'ActiveSync', version: m[2], os: 'Android', tls12: 'unknown', hint: 'android44' };
    },
    matches: [{ ua: 'SAMSUNG-SM-G900F/101.40402', client: 'Samsung Email ActiveSync (SM-G900F)', tls12: 'unknown' }],
    nonMatches: ['Android/4.2.2-EAS-1.3'],
  },
  {
    id: 'windows-mobile-activesync',
    // Windows Mobile (PPC, SPhone) and Windows Phone 7/8.0 mail; Windows Phone 8.1 (8.10) and later do TLS 1.2.
    test: (ctx) => {
      const m = /^(?:MSFT-(PPC|SPhone|WP)\/(\d+)\.(\d+)|Microsoft-AirSync\/(\d+)\.(\d+))/.exec(ctx.ua);
      if (!m) return null;
      if (m[1] === 'WP') {
        const major = Number(m[2]);
        const minor = Number(m[3]);
        const old = major < 8 || (major === 8 && minor === 0);
        const os = `Windows Phone ${major}.${minor === 10 ? 1 : minor}`;
        return { client: `${os} ActiveSync`, family: 'ActiveSync', version: `${major}.${minor}`, os, tls12: old ? 'no' : 'yes', hint: old ? 'windowsPhone8' : null };
      }
      const version = m[1] ? `${m[2]}.${m[3]}` : `${m[4]}.${m[5]}`;
      return { client: `Windows Mobile ActiveSync (${version})`, family: 'ActiveSync', version, os: 'Windows Mobile', tls12: 'no', hint: 'windowsMobile' };
    },
    matches: [
      { ua: 'MSFT-PPC/5.2.5082', client: 'Windows Mobile ActiveSync (5.2)', tls12: 'no' },
      { ua: 'Microsoft-AirSync/6.5', client: 'Windows Mobile ActiveSync (6.5)', tls12: 'no' },
      { ua: 'MSFT-WP/8.0.10521', client: 'Windows Phone 8.0 ActiveSync', tls12: 'no' },
      { ua: 'MSFT-WP/8.10.14219', client: 'Windows Phone 8.1 ActiveSync', tls12: 'yes' },
    ],
    nonMatches: ['MS Web Services Client Protocol 4.0.30319.42000'],
  },
  {
    id: 'ews-managed-api',
    test: (ctx) => {
      const m = /^ExchangeServicesClient\/([\d.]+)/.exec(ctx.ua);
      return m ? { client: 'EWS Managed API app', family: 'EWS Managed API', version: m[1], os: null, tls12: 'unknown', hint: 'ewsManagedApi' } : null;
    },
    matches: [{ ua: 'ExchangeServicesClient/15.00.0913.015', client: 'EWS Managed API app', tls12: 'unknown' }],
    nonMatches: ['AppleExchangeWebServices/814.80.3 accountsd/113'],
  },
  {
    id: 'apple-ews',
    // Apple Mail/Calendar/Contacts over EWS; the macOS form names the OS version, OS X 10.9 added TLS 1.2.
    test: (ctx) => {
      const mac = /^Mac OS X\/(\d+\.\d+(?:\.\d+)?) \((\w+)\); ExchangeWebServices\/([\d.]+)/.exec(ctx.ua);
      if (mac) {
        const v = mac[1];
        const verdict: Pick<ClientMatch, 'tls12' | 'hint'> =
          compareVersions(v, '10.8.4') <= 0 ? { tls12: 'no', hint: 'appleMail' } : compareVersions(v, '10.9') >= 0 ? { tls12: 'yes', hint: null } : { tls12: 'unknown', hint: 'appleMail' };
        return { client: `Apple Mail (EWS) on macOS ${v}`, family: 'Apple EWS', version: mac[3], os: `macOS ${v}`, ...verdict };
      }
      const m = /^AppleExchangeWebServices\/([\d.]+)/.exec(ctx.ua);
      return m ? { client: 'Apple Mail/Calendar (EWS)', family: 'Apple EWS', version: m[1], os: null, tls12: 'unknown', hint: 'appleMail' } : null;
    },
    matches: [
      { ua: 'AppleExchangeWebServices/814.80.3 accountsd/113', client: 'Apple Mail/Calendar (EWS)', tls12: 'unknown' },
      { ua: 'Mac OS X/10.8.4 (12E55); ExchangeWebServices/3.0 (157); Mail/6.5 (1508)', client: 'Apple Mail (EWS) on macOS 10.8.4', tls12: 'no' },
      { ua: 'Mac OS X/10.13.6 (17G65); ExchangeWebServices/8.0 (304); Mail/11.5 (3445.9.1)', client: 'Apple Mail (EWS) on macOS 10.13.6', tls12: 'yes' },
    ],
    nonMatches: ['ExchangeServicesClient/15.00.0913.015'],
  },
  {
    id: 'teams-rooms',
    // Teams Rooms (formerly Skype Room System v2): TLS 1.2 from app 4.0.64.0. The UA tokens are inferred, not documented.
    test: (ctx) => {
      const m = /(?:SkypeRoomSystem|Skype Room System|Teams ?Rooms)[/ ]?v?(\d+\.\d+\.\d+(?:\.\d+)?)?/i.exec(ctx.ua);
      if (!m) return null;
      const version = m[1] ?? null;
      const base = { client: `Teams Rooms${version ? ' ' + version : ''}`, family: 'Teams Rooms', version, os: osLabel(ctx) };
      if (version === null) return { ...base, tls12: 'unknown', hint: 'teamsRooms' };
      return compareVersions(version, '4.0.64.0') < 0 ? { ...base, tls12: 'no', hint: 'teamsRooms' } : { ...base, tls12: 'yes', hint: null };
    },
    matches: [
      { ua: 'SkypeRoomSystem/4.0.51.0', client: 'Teams Rooms 4.0.51.0', tls12: 'no' },
      { ua: 'Microsoft Teams Rooms 4.0.64.0', client: 'Teams Rooms 4.0.64.0', tls12: 'yes' },
    ],
    nonMatches: ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/1.6.00.4472 Chrome/98.0.4758.141'],
  },
  {
    id: 'surface-hub',
    test: (ctx) =>
      /Surface ?Hub|Windows Team\b/i.test(ctx.ua)
        ? { client: 'Surface Hub', family: 'Surface Hub', version: null, os: 'Windows 10 Team', tls12: 'unknown', hint: 'surfaceHub' }
        : null,
    matches: [{ ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Surface Hub) AppleWebKit/537.36 (KHTML, like Gecko)', client: 'Surface Hub', tls12: 'unknown' }],
    nonMatches: ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36'],
  },
];
