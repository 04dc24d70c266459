// The real SMTP Send excerpt of microsoft/exchange-css-docsite (issue 11): an Exchange 2013 server sending to an
// Exchange 2010 server over TLS 1.0 through the localized intra-organization send connector, then
// "Outbound Authentication failed with LogonDenied". Switching TLS 1.0 off on either side breaks that mail flow, so
// the session is a legacy client that is not noise and its connector's verdict is "no" in every report format, with
// the remote host, the connector and the last day named.
import { parse } from 'csv-parse/sync';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers.js';
import { SEND_DIRECTIVES } from './send-directives.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'exchange', 'css-docsite-SEND20191104-excerpt.LOG');
const CONNECTOR = '组织内 SMTP 发送连接器';
const REMOTE = '10.**.**.168';
const REMOTE_NAME = 'M10-SD-MLCH04.sd.cnc.intra';

async function scanned(layout: 'directives' | 'as published', ...more: string[]): Promise<string> {
  const dir = tempDir('tls-census-send-');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  if (layout === 'directives') writeFileSync(join(logs, 'SEND20191104-1.LOG'), Buffer.concat([Buffer.from(SEND_DIRECTIVES), readFileSync(FIXTURE)]));
  else copyFileSync(FIXTURE, join(logs, 'SEND20191104-1.LOG'));
  const db = join(dir, 'send.db');
  const r = await runCli(['scan', logs, '--db', db, '--quiet', ...more]);
  expect(r.code).toBe(0);
  return db;
}

const report = async (db: string, format: string, ...more: string[]): Promise<string> => {
  const r = await runCli(['report', '--db', db, '--format', format, ...more]);
  expect(r.code).toBe(0);
  return r.out;
};

describe('real SMTP Send excerpt (exchange-css-docsite), with the standard directives', () => {
  it('is a TLS 1.0 legacy client, not noise, internal, named by its greeting; the connector is "no" in every format', async () => {
    await expectNoInEveryFormat(await scanned('directives'));
  });
});

/** What the issue asks of the excerpt in every report format, with or without directives. */
async function expectNoInEveryFormat(db: string): Promise<void> {
    const json = JSON.parse(await report(db, 'json'));
    expect(json.totals).toEqual([{ source: 'smtp-send', protocol: 'TLS 1.0', hits: 1, clients: 1, share: 1 }]);
    expect(json.legacyClients).toHaveLength(1);
    expect(json.legacyClients[0]).toMatchObject({
      source: 'smtp-send', clientIp: REMOTE, userAgent: REMOTE_NAME, noise: null, protocols: ['TLS 1.0'], authFailures: 1,
      internal: true, lastSeen: '2019-11-04T06:00:35Z',
    });
    expect(json.legacyClients[0].hint).not.toMatch(/401/);
    expect(json.noise).toEqual([]);
    expect(json.verdicts).toHaveLength(1);
    const v = json.verdicts[0];
    // an intra-organization hop: the server's own traffic, which blocks like a real client (the fix is on the servers)
    expect(v).toMatchObject({ source: 'smtp-send', site: CONNECTOR, safeToDisable: 'no', noiseHits: 0, ownClients: 1, ownHits: 1 });
    expect(json.servers).toEqual([expect.objectContaining({ safeToDisable: 'no' })]);
    expect(v.dependencies).toEqual([{ clientIp: REMOTE, name: REMOTE_NAME, username: null, legacyHits: 1, lastDay: '2019-11-04' }]);
    for (const part of [REMOTE, REMOTE_NAME, CONNECTOR, '2019-11-04']) expect(v.evidence).toContain(part);
    // the masked address is kept as written, with a note
    expect(json.files.problems).toEqual([expect.objectContaining({ code: 'bad_address', count: 1 })]);

    const text = await report(db, 'text');
    expect(text).toMatch(/^\s+NO\s+smtp-send .*组织内 SMTP 发送连接器/m);
    expect(text).not.toMatch(/YES/);
    expect(text.replace(/\s+/g, ' ')).toContain(`${REMOTE} (${REMOTE_NAME}), last seen 2019-11-04`);

    const md = await report(db, 'markdown');
    expect(md).toMatch(/\| smtp-send \| 组织内 SMTP 发送连接器 \| \*\*no\*\* \|/);
    expect(md).toContain(REMOTE_NAME);

    const html = await report(db, 'html');
    expect(html).toMatch(/<div class="verdict[^"]* no"><div class="badge">NO<\/div>/);
    expect(html).toContain(REMOTE_NAME);

    const csv = parse(await report(db, 'csv'), { columns: true }) as Record<string, string>[];
    expect(csv).toEqual([expect.objectContaining({ source: 'smtp-send', client_ip: REMOTE, user_agent: REMOTE_NAME, noise: '', tls10_hits: '1', internal: '1' })]);

    const redacted = JSON.parse(await report(db, 'json', '--redact'));
    expect(redacted.verdicts[0].evidence).not.toContain(REMOTE);
    expect(redacted.verdicts[0].evidence).toContain(redacted.verdicts[0].dependencies[0].clientIp);
}

describe('the same excerpt as published (no directives)', () => {
  it('is read with the SMTP default fields, Send from its TLS line, with the same result; the files row says how', async () => {
    const db = await scanned('as published');
    const json = JSON.parse(await report(db, 'json'));
    expect(json.legacyClients).toEqual([expect.objectContaining({ source: 'smtp-send', clientIp: REMOTE, userAgent: REMOTE_NAME, noise: null })]);
    expect(json.verdicts).toEqual([expect.objectContaining({ site: CONNECTOR, safeToDisable: 'no' })]);
    expect(json.files.inferred).toEqual([
      expect.objectContaining({ format: 'exchange-smtp', layout: 'SMTP Send default fields, inferred from the TLS line' }),
    ]);
    expect(await report(db, 'text')).toMatch(/read without directives: .*SEND20191104-1\.LOG: SMTP Send default/);
  });

  it('gives the same TLS 1.0 legacy client, not noise, and the connector\'s "no" in text, markdown, json, csv and html', async () => {
    await expectNoInEveryFormat(await scanned('as published'));
  });
});
