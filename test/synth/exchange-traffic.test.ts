// The synthetic Exchange log generator: same seed, same bytes; every session it writes is read back exactly once by
// the SMTP and POP3/IMAP4 formats, including sessions that straddle two hourly files.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exchangePopImapFormat } from '../../src/formats/exchange-pop-imap.js';
import { memoryPending } from '../../src/formats/exchange-session.js';
import { exchangeSmtpFormat } from '../../src/formats/exchange-smtp.js';
import { generateExchangeFolder, type ExchangeFolderOptions } from '../../src/synth/exchange-traffic.js';
import { runFormat } from '../formats/exchange-run.js';
import { tempDir } from '../helpers.js';

const OPTS: ExchangeFolderOptions = { servers: ['EXCH01', 'EXCH02'], hours: 3, startDate: '2024-03-11', smtpPerHour: 300, popImapPerHour: 120, seed: 5 };

describe('generateExchangeFolder', () => {
  it('is deterministic and lays files out as Exchange does', () => {
    const a = tempDir();
    const b = tempDir();
    const ra = generateExchangeFolder(a, OPTS);
    const rb = generateExchangeFolder(b, OPTS);
    expect(ra.files.map((f) => relative(a, f))).toEqual(rb.files.map((f) => relative(b, f)));
    for (let i = 0; i < ra.files.length; i++) expect(readFileSync(ra.files[i]).equals(readFileSync(rb.files[i]))).toBe(true);
    expect(ra.files.map((f) => relative(a, f))).toContain(join('EXCH02', 'TransportRoles', 'Logs', 'FrontEnd', 'ProtocolLog', 'SmtpReceive', 'RECV2024031101-1.LOG'));
    expect(ra.sessions).toEqual({ 'smtp-receive': 1800, 'smtp-send': 450, pop3: 240, imap4: 480 });
  });

  it('every session is read back once, also those cut by the hourly rollover', () => {
    const dir = tempDir();
    const r = generateExchangeFolder(dir, OPTS);
    const count: Record<string, number> = {};
    const pending = { smtp: memoryPending(), popImap: memoryPending() };
    const seen = new Map<string, string>(); // SMTP session id → the file it was first seen in
    let straddling = 0;
    for (const file of [...r.files].sort()) {
      const smtp = file.includes('SmtpReceive') || file.includes('SmtpSend');
      const text = readFileSync(file);
      const run = runFormat(smtp ? exchangeSmtpFormat : exchangePopImapFormat, text, {
        folders: relative(dir, file).split(/[\\/]/).slice(0, -1),
        pending: smtp ? pending.smtp : pending.popImap,
        now: new Date('2024-03-11T00:00:00Z'), // the scan runs "while the logs are written": nothing goes idle
      });
      expect(run.diagnostics).toEqual([]);
      for (const row of run.rows) count[row.dims.source] = (count[row.dims.source] ?? 0) + row.hits;
      if (!smtp) continue;
      for (const m of text.toString('utf8').matchAll(/^[^,#]*,[^,]*,([0-9A-F]{16}),/gm)) {
        const where = seen.get(m[1]);
        if (where === undefined) seen.set(m[1], file);
        else if (where !== file) {
          straddling++;
          seen.set(m[1], file);
        }
      }
    }
    expect(count).toEqual(r.sessions);
    expect(straddling).toBeGreaterThan(0);
    expect(pending.smtp.entries()).toEqual([]);
    expect(pending.popImap.entries()).toEqual([]);
  });
});
