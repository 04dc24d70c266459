// Internet Explorer and Windows Phone rules: Microsoft lists IE 8-10 on Windows 7 and earlier and IE 10 on Windows
// Phone 8.0 as unable to use TLS 1.2. Traps: IE 11 compatibility view (old MSIE token, Trident/7+), WP 8.1 "Android 4.0".
import type { ClientRule } from './types.js';
import { onOs, osLabel } from './ua-context.js';

const MSIE = /MSIE (\d+)\.\d+/;
const TRIDENT = /Trident\/(\d+)\.\d+/;
const WINDOWS_PHONE = /Windows Phone(?: OS)? (\d+)\.(\d+)/;

/** IE's real version: Trident/4 = IE 8 … Trident/7 = IE 11, whatever MSIE token compatibility view sends. */
function ieVersion(ua: string): { msie: number | null; real: number } | null {
  const m = MSIE.exec(ua);
  const t = TRIDENT.exec(ua);
  if (!m && !t) return null;
  const msie = m ? Number(m[1]) : null;
  const real = t ? Number(t[1]) + 4 : (msie as number);
  return { msie, real };
}

export const IE_RULES: readonly ClientRule[] = [
  {
    id: 'windows-phone',
    // Before anything Android: IE 11 on Windows Phone 8.1 says "Android 4.0" but is not Android.
    test: (ctx) => {
      const wp = WINDOWS_PHONE.exec(ctx.ua);
      const desktop = /WPDesktop/.test(ctx.ua);
      if (!wp && !desktop) return null;
      const ie = ieVersion(ctx.ua);
      const ieName = ie ? `IE ${Math.min(ie.real, 11)}` : 'Browser';
      const major = wp ? Number(wp[1]) : 8;
      const minor = wp ? Number(wp[2]) : ie && ie.real >= 11 ? 1 : 0;
      const os = `Windows Phone ${major}.${minor}`;
      const old = major < 8 || (major === 8 && minor === 0);
      return {
        client: `${ieName} on ${os}${desktop ? ' (desktop mode)' : ''}`,
        family: 'Internet Explorer Mobile',
        version: ie ? String(ie.real) : null,
        os,
        tls12: old ? 'no' : 'yes',
        hint: old ? 'windowsPhone8' : null,
      };
    },
    matches: [
      {
        ua: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Nokia 620)',
        client: 'IE 10 on Windows Phone 8.0',
        tls12: 'no',
      },
      {
        ua: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; ARM; Touch; WPDesktop)',
        client: 'IE 10 on Windows Phone 8.0 (desktop mode)',
        tls12: 'no',
      },
      {
        ua: 'Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537',
        client: 'IE 11 on Windows Phone 8.1',
        tls12: 'yes',
      },
    ],
    nonMatches: [
      'Mozilla/5.0 (Linux; U; Android 4.0.4; en-gb; GT-P7500 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
      'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)',
    ],
  },
  {
    id: 'ie-compat-view',
    // IE 11 in compatibility view / Enterprise Mode: an old MSIE token with Trident/7.0 or later. It is IE 11.
    test: (ctx) => {
      const ie = ieVersion(ctx.ua);
      if (!ie || ie.msie === null || ie.real < 11) return null;
      const os = osLabel(ctx);
      return { client: `IE 11 (compatibility view)${onOs(os)}`, family: 'Internet Explorer', version: '11', os, tls12: 'yes', hint: null };
    },
    matches: [
      {
        ua: 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E)',
        client: 'IE 11 (compatibility view) on Windows 10/11',
        tls12: 'yes',
      },
      {
        ua: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/7.0)',
        client: 'IE 11 (compatibility view) on Windows 7',
        tls12: 'yes',
      },
      {
        ua: 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/8.0; .NET4.0C; .NET4.0E)',
        client: 'IE 11 (compatibility view) on Windows 10/11',
        tls12: 'yes',
      },
    ],
    nonMatches: [
      'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)',
      'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko',
    ],
  },
  {
    id: 'ie-8-10',
    // Microsoft: IE 8-10 on Windows 7 and earlier cannot use TLS 1.2 (IE 11 enabled it by default).
    test: (ctx) => {
      const ie = ieVersion(ctx.ua);
      if (!ie || ie.msie === null || ie.real < 8 || ie.real > 10) return null;
      const os = osLabel(ctx);
      const compat = ie.msie < ie.real ? ' (compatibility view)' : '';
      const nt = ctx.windowsNt;
      const base = { client: `IE ${ie.real}${compat}${onOs(os)}`, family: 'Internet Explorer', version: String(ie.real), os };
      if (nt !== null && nt < 6.1) return { ...base, tls12: 'no', hint: 'windowsXp' };
      if (nt === null || nt === 6.1) return { ...base, tls12: 'no', hint: 'ieOld' };
      return { ...base, tls12: 'unknown', hint: 'ie10Win8' };
    },
    matches: [
      { ua: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)', client: 'IE 10 on Windows 7', tls12: 'no' },
      { ua: 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)', client: 'IE 9 on Windows 7', tls12: 'no' },
      {
        ua: 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; WOW64; Trident/4.0; SLCC2; .NET CLR 2.0.50727)',
        client: 'IE 8 on Windows 7',
        tls12: 'no',
      },
      { ua: 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)', client: 'IE 8 on Windows XP', tls12: 'no' },
      {
        ua: 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/4.0)',
        client: 'IE 8 (compatibility view) on Windows 7',
        tls12: 'no',
      },
      { ua: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)', client: 'IE 10 on Windows 8', tls12: 'unknown' },
    ],
    nonMatches: [
      'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 10.0; WOW64; Trident/7.0)',
      'Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Lumia 920)',
      'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)',
    ],
  },
  {
    id: 'ie-7-or-older',
    test: (ctx) => {
      const ie = ieVersion(ctx.ua);
      if (!ie || ie.real >= 8) return null;
      const os = osLabel(ctx);
      return { client: `IE ${ie.real}${onOs(os)}`, family: 'Internet Explorer', version: String(ie.real), os, tls12: 'no', hint: 'ieAncient' };
    },
    matches: [
      { ua: 'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)', client: 'IE 6 on Windows XP', tls12: 'no' },
      { ua: 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)', client: 'IE 7 on Windows Vista', tls12: 'no' },
    ],
    nonMatches: ['Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/4.0)'],
  },
  {
    id: 'ie-11',
    test: (ctx) => {
      const ie = ieVersion(ctx.ua);
      if (!ie || ie.msie !== null || ie.real < 11) return null;
      const os = osLabel(ctx);
      return { client: `IE 11${onOs(os)}`, family: 'Internet Explorer', version: '11', os, tls12: 'yes', hint: null };
    },
    matches: [{ ua: 'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko', client: 'IE 11 on Windows 7', tls12: 'yes' }],
    nonMatches: ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/7.0)'],
  },
];
