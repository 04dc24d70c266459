// Real Exchange protocol log samples scanned end to end (issue 11): artefacts.help's RECV log is TLS 1.2 with a failed
// AUTH LOGIN, neither legacy nor noise; both spellings of the send-side TLS line (Microsoft's documents write
// `SP_PROT-TLS1_2_CLIENT`, real logs `SP_PROT_TLS1_0_CLIENT`) are read through the scan, with and without
// directives, and addresses masked by whoever published the excerpt stay as written with a `bad_address` note.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';
import { SEND_DIRECTIVES } from './send-directives.js';

async function scanJson(dest: string, bytes: Buffer) {
  const root = join(tempDir('tls-census-exchange-real-'), 'logs');
  mkdirSync(join(root, dest, '..'), { recursive: true });
  writeFileSync(join(root, dest), bytes);
  const db = join(root, '..', 'x.db');
  const scan = await runCli(['scan', root, '--db', db, '--quiet']);
  expect(scan.code).toBe(0);
  const r = await runCli(['report', '--db', db, '--format', 'json', '--min-days', '1']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

describe('artefacts.help RECV2023011116-1.LOG (CC0)', () => {
  it('is one TLS 1.2 session whose AUTH LOGIN failed: no legacy client, no noise, the connector is clear', async () => {
    const json = await scanJson('SERVER/SmtpReceive/RECV2023011116-1.LOG', readFileSync(fixture('exchange/artefacts-RECV2023011116-1.LOG')));
    expect(json.totals).toEqual([{ source: 'smtp-receive', protocol: 'TLS 1.2', hits: 1, clients: 1, share: 1 }]);
    expect(json.legacyClients).toEqual([]);
    expect(json.noise).toEqual([]);
    expect(json.verdicts).toEqual([expect.objectContaining({
      source: 'smtp-receive', site: 'SERVER-HOSTNAME\\Default Frontend SERVER-HOSTNAME', safeToDisable: 'yes', noiseHits: 0, ownHits: 0,
    })]);
    expect(json.servers).toEqual([expect.objectContaining({ server: 'SERVER-HOSTNAME', safeToDisable: 'yes' })]);
  });
});

const SPELLINGS = 'exchange/composed-send-tls-spellings.LOG';
const MASKED_NOTE = expect.objectContaining({ code: 'bad_address', count: 2, message: expect.stringContaining('"10.**.**.169:25" is not an IP address') });

describe('SP_PROT-TLS1_2_CLIENT (hyphen, as Microsoft documents it) beside SP_PROT_TLS1_0_CLIENT (as logged)', () => {
  const rows = (json: { legacyClients: unknown[] }) => json.legacyClients;
  it.each([
    ['as published (no directives: the hyphenated TLS line tells a Send log)', (b: Buffer) => b],
    ['with the SMTP Send directives', (b: Buffer) => Buffer.concat([Buffer.from(SEND_DIRECTIVES), b])],
  ])('%s: TLS 1.2 and TLS 1.0 sessions, masked addresses kept as written', async (_, shape) => {
    const json = await scanJson('EXCH/SEND20191104-1.LOG', shape(readFileSync(fixture(SPELLINGS))));
    expect(json.totals).toEqual([
      expect.objectContaining({ source: 'smtp-send', protocol: 'TLS 1.0', hits: 1 }),
      expect.objectContaining({ source: 'smtp-send', protocol: 'TLS 1.2', hits: 1 }),
    ]);
    expect(rows(json)).toEqual([expect.objectContaining({
      source: 'smtp-send', clientIp: '10.**.**.168', userAgent: 'M10-SD-MLCH04.sd.cnc.intra', protocols: ['TLS 1.0'], noise: null,
    })]);
    expect(json.verdicts).toEqual([expect.objectContaining({ site: '组织内 SMTP 发送连接器', safeToDisable: 'no' })]);
    expect(json.files.problems).toEqual([MASKED_NOTE]);
    expect(json.files.badLines).toBe(0);
  });

  it('the TLS 1.2 session keeps its masked address and its cipher, hash and key exchange', async () => {
    const root = tempDir('tls-census-spellings-');
    mkdirSync(join(root, 'logs'));
    copyFileSync(fixture(SPELLINGS), join(root, 'logs', 'SEND20191104-1.LOG'));
    const db = join(root, 's.db');
    expect((await runCli(['scan', join(root, 'logs'), '--db', db, '--quiet'])).code).toBe(0);
    const q = await runCli(['query', '--db', db, '--format', 'json',
      `SELECT client_ip, user_agent, protocol, cipher, hash, key_exchange FROM usage ORDER BY protocol`]);
    expect(JSON.parse(q.out)).toEqual([
      { client_ip: '10.**.**.168', user_agent: 'M10-SD-MLCH04.sd.cnc.intra', protocol: 'TLS 1.0', cipher: 'AES-256', hash: 'SHA-1', key_exchange: 'ECDHE' },
      { client_ip: '10.**.**.169', user_agent: 'M10-SD-MLCH05.sd.cnc.intra', protocol: 'TLS 1.2', cipher: 'AES-256', hash: 'SHA-384', key_exchange: 'ECDHE' },
    ]);
  });
});
