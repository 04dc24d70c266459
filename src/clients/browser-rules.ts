// Browser rules other than IE: Firefox, Safari on macOS, the Android platform stack, Chromium-based browsers, iOS.
// Microsoft lists Android <= 4.3 (platform stack), Firefox <= 5.0 and Safari <= 6.0.4 / OS X <= 10.8.4 as unable.
import type { ClientRule, ClientMatch } from './types.js';
import { androidVerdict, compareVersions, onOs, osLabel } from './ua-context.js';

export const BROWSER_RULES: readonly ClientRule[] = [
  {
    id: 'firefox',
    // Microsoft lists Firefox 5.0 and earlier; Firefox turned TLS 1.2 on by default only in 27, so 6-26 stay unknown.
    test: (ctx) => {
      const m = /Firefox\/(\d+)(?:\.(\d+))?/.exec(ctx.ua);
      if (!m) return null;
      const major = Number(m[1]);
      const version = `${major}.${m[2] ?? '0'}`;
      const os = osLabel(ctx);
      const verdict: Pick<ClientMatch, 'tls12' | 'hint'> =
        major <= 5 ? { tls12: 'no', hint: 'firefoxOld' } : major < 27 ? { tls12: 'unknown', hint: 'firefoxOld' } : { tls12: 'yes', hint: null };
      return { client: `Firefox ${version}${onOs(os)}`, family: 'Firefox', version, os, ...verdict };
    },
    matches: [
      { ua: 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:5.0) Gecko/20100101 Firefox/5.0', client: 'Firefox 5.0 on Windows 7', tls12: 'no' },
      { ua: 'Mozilla/5.0 (Windows NT 6.1; rv:2.0.1) Gecko/20100101 Firefox/4.0.1', client: 'Firefox 4.0 on Windows 7', tls12: 'no' },
      {
        ua: 'Mozilla/5.0 (Windows; U; Windows NT 6.1; en-US; rv:1.9.1.16) Gecko/20101130 Firefox/3.5.16',
        client: 'Firefox 3.5 on Windows 7',
        tls12: 'no',
      },
      { ua: 'Mozilla/5.0 (Windows NT 6.1; rv:24.0) Gecko/20100101 Firefox/24.0', client: 'Firefox 24.0 on Windows 7', tls12: 'unknown' },
      {
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0',
        client: 'Firefox 123.0 on Windows 10/11',
        tls12: 'yes',
      },
    ],
    nonMatches: ['Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko'],
  },
  {
    id: 'safari-mac',
    // Microsoft lists Safari 6.0.4 / OS X 10.8.4 and earlier; OS X 10.8.5 with Safari 6.0.5-6.1 is a grey zone.
    test: (ctx) => {
      const p = ctx.parsed();
      if (p.browser.name !== 'Safari' || p.os.name !== 'Mac OS') return null;
      const safari = p.browser.version ?? null;
      const osx = p.os.version ?? null;
      const old = (safari !== null && compareVersions(safari, '6.0.4') <= 0) || (osx !== null && compareVersions(osx, '10.8.4') <= 0);
      const current = (safari !== null && compareVersions(safari, '7') >= 0) || (osx !== null && compareVersions(osx, '10.9') >= 0);
      const os = osLabel(ctx);
      const verdict: Pick<ClientMatch, 'tls12' | 'hint'> = old
        ? { tls12: 'no', hint: 'safariOld' }
        : current
          ? { tls12: 'yes', hint: null }
          : { tls12: 'unknown', hint: 'safariOld' };
      return { client: `Safari${safari ? ' ' + safari : ''}${onOs(os)}`, family: 'Safari', version: safari, os, ...verdict };
    },
    matches: [
      {
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/536.29.13 (KHTML, like Gecko) Version/6.0.4 Safari/536.29.13',
        client: 'Safari 6.0.4 on OS X 10.8.3',
        tls12: 'no',
      },
      {
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_6_8) AppleWebKit/534.57.2 (KHTML, like Gecko) Version/5.1.7 Safari/534.57.2',
        client: 'Safari 5.1.7 on OS X 10.6.8',
        tls12: 'no',
      },
      {
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.71 (KHTML, like Gecko) Version/6.1 Safari/537.71',
        client: 'Safari 6.1 on OS X 10.8.5',
        tls12: 'unknown',
      },
      {
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
        client: 'Safari 17.3 on OS X 10.15.7',
        tls12: 'yes',
      },
    ],
    nonMatches: [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453.93 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 12_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1',
    ],
  },
  {
    id: 'android-platform',
    // The platform TLS stack (stock browser, WebView apps, Dalvik): Microsoft lists Android 4.3 and earlier.
    // Chrome, Firefox and Opera bring their own TLS, so they go to their own rules.
    test: (ctx) => {
      const p = ctx.parsed();
      if (p.os.name !== 'Android' || !p.os.version) return null;
      const browser = p.browser.name;
      if (browser !== undefined && browser !== 'Android Browser' && browser !== 'Dalvik') return null;
      const version = p.os.version;
      const os = `Android ${version}`;
      const kind = browser === 'Android Browser' ? 'browser' : 'app (platform TLS)';
      return { client: `${os} ${kind}`, family: 'Android', version, os, ...androidVerdict(version) };
    },
    matches: [
      {
        ua: 'Mozilla/5.0 (Linux; U; Android 4.0.4; en-gb; GT-P7500 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
        client: 'Android 4.0.4 browser',
        tls12: 'no',
      },
      {
        ua: 'Mozilla/5.0 (Linux; U; Android 4.2.2; ru-ru; GT-P3100 Build/JDQ39) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
        client: 'Android 4.2.2 browser',
        tls12: 'no',
      },
      { ua: 'Dalvik/1.6.0 (Linux; U; Android 4.1.2; GT-I9100 Build/JZO54K)', client: 'Android 4.1.2 app (platform TLS)', tls12: 'no' },
      { ua: 'Dalvik/1.6.0 (Linux; U; Android 4.4.2; SM-T310 Build/KOT49H)', client: 'Android 4.4.2 app (platform TLS)', tls12: 'unknown' },
      { ua: 'Dalvik/2.1.0 (Linux; U; Android 9; SM-G960F Build/PPR1.180610.011)', client: 'Android 9 app (platform TLS)', tls12: 'yes' },
    ],
    nonMatches: [
      'Mozilla/5.0 (Linux; Android 4.3; Nexus 7 Build/JWR66Y) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/29.0.1547.72 Safari/537.36',
      'Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537',
    ],
  },
  {
    id: 'chromium',
    // Chrome and the browsers built on it (Edge, Opera 15+, Samsung Internet) bring their own TLS: 1.2 from Chrome 30.
    test: (ctx) => {
      const p = ctx.parsed();
      const chrome = /(?:Chrome|CriOS)\/(\d+)/.exec(ctx.ua);
      const edgeHtml = p.engine.name === 'EdgeHTML';
      if (!chrome && !edgeHtml) return null;
      const name = p.browser.name ?? 'Chrome';
      const version = p.browser.version ?? null;
      const major = version ? version.split('.')[0] : chrome ? chrome[1] : '';
      const os = osLabel(ctx);
      const old = chrome !== null && Number(chrome[1]) < 30 && !edgeHtml;
      return {
        client: `${name} ${major}${onOs(os)}`,
        family: name,
        version,
        os,
        tls12: old ? 'unknown' : 'yes',
        hint: old ? 'chromeOld' : null,
      };
    },
    matches: [
      {
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.92',
        client: 'Edge 122 on Windows 10/11',
        tls12: 'yes',
      },
      {
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
        client: 'Chrome 122 on Windows 10/11',
        tls12: 'yes',
      },
      {
        ua: 'Mozilla/5.0 (Linux; Android 4.3; Nexus 7 Build/JWR66Y) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/29.0.1547.72 Safari/537.36',
        client: 'Chrome 29 on Android 4.3',
        tls12: 'unknown',
      },
    ],
    nonMatches: [
      'Mozilla/5.0 (Linux; U; Android 4.0.4; en-gb; GT-P7500 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
    ],
  },
  {
    id: 'ios',
    // Mobile Safari and iOS apps use the platform stack, which does TLS 1.2 from iOS 5.
    test: (ctx) => {
      const p = ctx.parsed();
      if (p.os.name !== 'iOS' || !p.os.version) return null;
      const version = p.os.version;
      const os = `iOS ${version}`;
      const what = p.browser.name === 'Mobile Safari' ? 'Mobile Safari' : `${p.device.model ?? 'iOS'} app`;
      const old = compareVersions(version, '5') < 0;
      return { client: `${what} on ${os}`, family: 'iOS', version, os, tls12: old ? 'no' : 'yes', hint: old ? 'iosOld' : null };
    },
    matches: [
      {
        ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 12_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1',
        client: 'Mobile Safari on iOS 12.4',
        tls12: 'yes',
      },
      {
        ua: 'Mozilla/5.0 (iPhone; U; CPU iPhone OS 4_3_3 like Mac OS X; en-us) AppleWebKit/533.17.9 (KHTML, like Gecko) Version/5.0.2 Mobile/8J2 Safari/6533.18.5',
        client: 'Mobile Safari on iOS 4.3.3',
        tls12: 'no',
      },
    ],
    nonMatches: ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15'],
  },
  {
    id: 'other-browser',
    test: (ctx) => {
      const p = ctx.parsed();
      if (!p.browser.name) return null;
      const os = osLabel(ctx);
      const version = p.browser.version ?? null;
      return {
        client: `${p.browser.name}${version ? ' ' + version : ''}${onOs(os)}`,
        family: p.browser.name,
        version,
        os,
        tls12: 'unknown',
        hint: ctx.windowsNt !== null && ctx.windowsNt < 6.1 ? 'windowsXp' : null,
      };
    },
    matches: [
      { ua: 'Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.16', client: 'Opera 12.16 on Windows 7', tls12: 'unknown' },
    ],
    nonMatches: ['ExampleAgent/1.0'],
  },
];
