// Excerpts as people paste them (issue 11): a placeholder where the timestamp goes, a line cut short and a line of
// another layout, put into real samples of each format (IIS, HTTP.sys, SMTP Receive with directives, POP3 without).
// Each is a counted bad line with its file and line, never a crash, and the real lines around them are still read.
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');

interface Case {
  readonly name: string;
  readonly fixture: string;
  /** Where the copy goes under the scanned folder (folders can tell a log without directives). */
  readonly dest: string;
  /** Lines of the sample kept before the broken ones (directives and the first data lines). */
  readonly before: number;
  readonly placeholder: string;
  readonly short: string;
  readonly otherLayout: string;
  /** What the real lines give, by source and protocol, with their hits. */
  readonly totals: readonly { source: string; protocol: string; hits: number }[];
  /** Codes the placeholder, short and other-layout lines get (in that order). */
  readonly codes: readonly [string, string, string];
  /** Bad lines of the sample itself (exact repeats of a session's line). */
  readonly ownBad: number;
}

const CASES: readonly Case[] = [
  {
    name: 'IIS (lnav logfile_w3c.0)', fixture: 'iis/lnav-logfile_w3c.0.log', dest: 'HOST/W3SVC1/u_ex020502.log', before: 5,
    placeholder: 'yyyy-mm-dd hh:mm:ss 172.22.255.255 - 172.30.255.255 80 GET /images/picture.jpg - 200 Mozilla/4.0',
    short: '2002-05-02 17:42:16 172.22.255.255',
    otherLayout: '2002-05-02 17:42:17 W3SVC1 HOST 172.30.255.255 GET / - 80 - 172.22.255.255 UA - 200 0 0 15 400 6610 800d ae06',
    totals: [{ source: 'iis', protocol: 'unknown', hits: 1 }],
    codes: ['bad_timestamp', 'field_count', 'field_count'],
    ownBad: 0,
  },
  {
    name: 'HTTP.sys (Filebeat test.log)', fixture: 'httperr/beats-error-test.log', dest: 'HOST/HTTPERR/httperr1.log', before: 6,
    placeholder: '<date> <time> 81.2.69.143 2780 127.0.0.1 80 HTTP/1.1 GET /x 400 - Hostname -',
    short: '2018-01-01 09:10:12 81.2.69.143 2780',
    otherLayout: '2018-01-01 09:10:13 81.2.69.143 2780 127.0.0.1 80 HTTP/1.1 GET /x - 400 - Hostname - 0 0 0 0',
    totals: [{ source: 'httperr', protocol: 'unknown', hits: 4 }],
    codes: ['bad_timestamp', 'field_count', 'field_count'],
    ownBad: 0,
  },
  {
    name: 'SMTP Receive with directives (artefacts.help RECV)', fixture: 'exchange/artefacts-RECV2023011116-1.LOG',
    dest: 'HOST/SmtpReceive/RECV2023011116-1.LOG', before: 8,
    placeholder: '<date-time>,SERVER-HOSTNAME\\Default Frontend SERVER-HOSTNAME,123453EC62278461,3,10.10.10.10:25,95.10.20.33:56026,>,250 ...,',
    short: '2023-01-11T15:59:53.911Z,SERVER-HOSTNAME\\Default Frontend SERVER-HOSTNAME,123453EC62278461',
    otherLayout: '2023-01-11T15:59:53.912Z,0000000000001A2B,0,10.20.0.15:993,203.0.113.61:50312,,2,0,53,OpenSession,,',
    totals: [{ source: 'smtp-receive', protocol: 'TLS 1.2', hits: 1 }],
    codes: ['bad_timestamp', 'field_count', 'field_count'],
    ownBad: 1,
  },
  {
    name: 'POP3 without directives (CrowdSec pop-bf, from its folder)', fixture: 'exchange/crowdsec-exchange-pop-bf.log',
    dest: 'HOST/Logging/Pop3/POP3BE20220720-1.LOG', before: 2,
    placeholder: 'YYYY-MM-DDThh:mm:ss.fffZ,0000000000000005,2,192.168.9.241:110,192.168.9.212:55576,testuser,1,6,14,quit,,,',
    short: '2022-07-20T21:23:49.000Z,0000000000000005',
    otherLayout: '2022-07-20T21:23:49.001Z,EXCH01\\Default Frontend EXCH01,08DA4F7C11473A60,9,192.168.9.241:25,192.168.9.212:55577,*,,x',
    totals: [{ source: 'pop3', protocol: 'unknown', hits: 1 }],
    codes: ['bad_timestamp', 'field_count', 'field_count'],
    ownBad: 7,
  },
];

describe.each(CASES)('$name: a placeholder timestamp, a short line and another layout', (c) => {
  it('are counted bad lines with file and line; the real lines are read', async () => {
    const lines = readFileSync(fixture(c.fixture), 'utf8').split('\n');
    const text = [...lines.slice(0, c.before), c.placeholder, c.short, c.otherLayout, ...lines.slice(c.before)].join('\n');
    const root = join(tempDir('tls-census-broken-'), 'logs');
    const path = join(root, c.dest);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    utimesSync(path, OLD, OLD);
    const db = join(root, '..', 'b.db');
    const scan = await runCli(['scan', root, '--db', db]);
    expect(scan.code).toBe(0);
    expect(scan.err).not.toMatch(/\n\s+at /);
    const rel = `logs/${c.dest}`;
    // one warning line per reason, naming the file and the line
    for (const [i, code] of c.codes.entries()) {
      if (c.codes.indexOf(code) === i) expect(scan.err).toContain(`${rel}:${c.before + 1 + i}: ${code}:`);
    }
    const r = await runCli(['report', '--db', db, '--format', 'json']);
    const json = JSON.parse(r.out) as {
      totals: { source: string; protocol: string; hits: number }[];
      files: { read: number; badLines: number; problems: { path: string; code: string; count: number; firstLine: number }[] };
    };
    expect(json.files.read).toBe(1);
    expect(json.files.badLines).toBe(3 + c.ownBad);
    const expected = new Map<string, { count: number; firstLine: number }>();
    c.codes.forEach((code, i) => {
      const e = expected.get(code);
      expected.set(code, e ? { ...e, count: e.count + 1 } : { count: 1, firstLine: c.before + 1 + i });
    });
    for (const [code, e] of expected) {
      expect(json.files.problems).toContainEqual(expect.objectContaining({ path: expect.stringMatching(new RegExp(`${c.dest.replace(/[.\\]/g, '\\$&')}$`)), code, ...e }));
    }
    expect(json.totals.map(({ source, protocol, hits }) => ({ source, protocol, hits }))).toEqual(c.totals);
  });
});
