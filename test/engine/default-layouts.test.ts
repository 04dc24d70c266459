// Exchange logs without directives (issue 11): lines that fit the SMTP or POP3/IMAP4 default layout are read with it
// when the folder, the TLS line (SMTP) or --log-type tells which log it is; otherwise the file is skipped with a
// reason naming --log-type. Lines that fit no layout are counted bad lines with file and line; the rest is read.
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');

/** Scans `files` (path under the root → bytes) into a new database; returns the report's JSON. */
async function scanJson(files: Record<string, Buffer | string>, ...more: string[]) {
  const root = join(tempDir('tls-census-layouts-'), 'logs');
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), bytes);
    // written long ago: a last line without a newline is final, not one Exchange is still writing
    utimesSync(join(root, rel), OLD, OLD);
  }
  const db = join(root, '..', 'l.db');
  const scan = await runCli(['scan', root, '--db', db, '--quiet', ...more]);
  expect(scan.code).toBe(0);
  const r = await runCli(['report', '--db', db, '--format', 'json']);
  return JSON.parse(r.out);
}

const POP = readFileSync(fixture('exchange/crowdsec-exchange-pop-logs.log'));
const IMAP = readFileSync(fixture('exchange/crowdsec-exchange-imap-logs.log'));

describe('Exchange logs without directives', () => {
  it('POP3/IMAP4 lines: read from a Pop3/Imap4 folder or with --log-type, else skipped naming --log-type', async () => {
    const inFolder = await scanJson({ 'EXCH01/Logging/Pop3/POP3BE20220613-1.LOG': POP, 'EXCH01/Logging/Imap4/IMAP4BE20220613-1.LOG': IMAP });
    expect(inFolder.totals.map((t: { source: string }) => t.source).sort()).toEqual(['imap4', 'pop3']);
    expect(inFolder.files.inferred.map((x: { layout: string }) => x.layout).sort()).toEqual([
      'IMAP4 default fields, inferred from the folder', 'POP3 default fields, inferred from the folder',
    ]);

    const loose = await scanJson({ 'pop.log': POP });
    expect(loose.files.read).toBe(0);
    expect(loose.files.unread).toEqual([expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('--log-type pop3') })]);

    const told = await scanJson({ 'pop.log': POP }, '--log-type', 'pop3');
    expect(told.totals).toEqual([expect.objectContaining({ source: 'pop3' })]);
    expect(told.files.inferred).toEqual([expect.objectContaining({ layout: 'POP3 default fields, inferred from --log-type' })]);
  });

  it('SMTP lines without a TLS line: the SmtpReceive folder or --log-type tells, else skipped naming --log-type', async () => {
    const line = readFileSync(fixture('exchange/crowdsec-exchange-smtp-logs.log'));
    const loose = await scanJson({ 'smtp.log': line });
    expect(loose.files.unread).toEqual([expect.objectContaining({ reason: expect.stringContaining('--log-type smtp-receive') })]);
    const inFolder = await scanJson({ 'EXCH01/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/RECV2022061308-1.LOG': line });
    expect(inFolder.totals).toEqual([expect.objectContaining({ source: 'smtp-receive' })]);
    const told = await scanJson({ 'smtp.log': line }, '--log-type', 'smtp-receive');
    expect(told.totals).toEqual([expect.objectContaining({ source: 'smtp-receive' })]);
  });

  it('a placeholder timestamp, a short line and a line of another layout are counted bad lines; the rest is read', async () => {
    const send = readFileSync(fixture('exchange/css-docsite-SEND20191104-excerpt.LOG'), 'utf8').split('\n');
    const broken = [
      ...send.slice(0, 5),
      'YYYY-MM-DDThh:mm:ss.fffZ,Connector,08D760DF231F00BC,99,10.0.0.1:1,10.0.0.2:25,*,,placeholder',
      '2019-11-04T06:00:35.402Z,short line',
      '2019-11-04T06:00:35.402Z,0000000000001A2B,0,10.20.0.15:993,203.0.113.61:50312,,2,0,53,OpenSession,,',
      ...send.slice(5),
    ].join('\n');
    const json = await scanJson({ 'SEND.LOG': broken });
    expect(json.files.badLines).toBe(3);
    const codes = json.files.problems.map((p: { code: string; firstLine: number }) => [p.code, p.firstLine]);
    expect(codes).toEqual(expect.arrayContaining([['bad_timestamp', 6], ['field_count', 7]]));
    expect(json.legacyClients).toEqual([expect.objectContaining({ source: 'smtp-send', protocols: ['TLS 1.0'] })]);
  });
});

describe('--log-type', () => {
  it('takes only the four Exchange log types (exit 2, one line)', async () => {
    const dir = tempDir('tls-census-layouts-');
    copyFileSync(fixture('exchange/crowdsec-exchange-pop-logs.log'), join(dir, 'pop.log'));
    const r = await runCli(['scan', dir, '--db', join(dir, 'x.db'), '--log-type', 'smtp']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/log-type/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
