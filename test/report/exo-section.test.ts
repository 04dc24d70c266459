// The Exchange Online part of the summary: senders and connectors on TLS 1.0/1.1 with share and count, the
// period's source, estimated figures, overlapping periods, unusable exports, the window and --redact.
import { copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportPeriod } from '../../src/aggregate/report-rows.js';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { redact } from '../../src/report/redact.js';
import { formatExoSection, readExoSection, redactExoSection, type ExoWindow } from '../../src/report/sections/exo.js';
import { readSummary } from '../../src/report/summary.js';
import { formatText } from '../../src/report/text.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { fixture, tempDir } from '../helpers.js';

const ALL: ExoWindow = { since: null, until: null, servers: [], sources: [] };

async function census(files: Record<string, string>, reportPeriod?: ReportPeriod): Promise<Db> {
  const dir = tempDir();
  const paths: string[] = [];
  for (const [name, from] of Object.entries(files)) {
    const path = join(dir, name);
    if (from.includes('\n')) writeFileSync(path, from);
    else copyFileSync(fixture(from), path);
    utimesSync(path, new Date('2024-03-12T08:00:00Z'), new Date('2024-03-12T08:00:00Z'));
    paths.push(path);
  }
  const db = openDatabase(join(dir, 'out.db'));
  await scan(new Store(db), { ...DEFAULT_SCAN, paths, exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date(), reportPeriod });
  return db;
}

describe('readExoSection', () => {
  it('is null for a database without Exchange Online reports', async () => {
    const db = await census({ 'u_ex.log': 'iis/composed-crypt-fields.log' });
    expect(readExoSection(db, ALL, 20)).toBeNull();
  });

  it('SMTP AUTH senders on TLS 1.0/1.1, most legacy messages first, with share and estimated flag', async () => {
    const db = await census({ 'a.csv': 'exo/smtp-auth-new-eac.csv', 'b.csv': 'exo/smtp-auth-old-portal.csv' }, { start: '2024-03-04', end: '2024-03-10' });
    const s = readExoSection(db, ALL, 3);
    expect(s?.smtpAuth).toMatchObject({ senders: 9, messages: 3194, legacySenders: 8, legacyMessages: 624, estimated: true, overlapping: 0 });
    expect(s?.smtpAuth?.periods).toEqual([{ start: '2024-03-04', end: '2024-03-10', source: 'option', senders: 9, files: 2 }]);
    expect(s?.smtpAuth?.listed.map((x) => [x.sender, x.tls10 + x.tls11, x.messages, Math.round(x.share * 1000) / 10, x.estimated])).toEqual([
      ['scan-3rdfloor@contoso.com', 412, 412, 100, true],
      ['erp-notify@contoso.com', 148, 1184, 12.5, true],
      ['legacy-app@contoso.com', 40, 40, 100, false],
    ]);
    const text = formatExoSection(s).join('\n');
    expect(text).toContain('Exchange Online SMTP AUTH senders on TLS 1.0/1.1: 8 of 9, ~624 of 3,194 messages');
    expect(text).toContain('period 2024-03-04..2024-03-10 (from --period; 9 senders)');
    expect(text).toMatch(/ {7}40 100\.0% 1\.0 +40 {2}legacy-app@contoso\.com/); // a count from "100% (40)": no "~"
    expect(text).toContain('… 5 more: SELECT * FROM exo_smtp_auth WHERE tls10 + tls11 > 0');
    for (const line of formatExoSection(s)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('says when periods of the same sender overlap', async () => {
    const head = 'Sender address,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent';
    const db = await census({
      'smtp_2024-03-01_2024-03-31.csv': `${head}\nx@contoso.com,10%,0%,90%,100\n`,
      'smtp_2024-03-04_2024-03-10.csv': `${head}\nx@contoso.com,20%,0%,80%,20\ny@contoso.com,0%,0%,100%,5\n`,
    });
    const s = readExoSection(db, ALL, null);
    expect(s?.smtpAuth?.overlapping).toBe(1);
    expect(s?.smtpAuth?.periods.map((p) => [p.start, p.end, p.source])).toEqual([
      ['2024-03-04', '2024-03-10', 'file name'],
      ['2024-03-01', '2024-03-31', 'file name'],
    ]);
    expect(formatExoSection(s).join('\n')).toContain('1 sender(s) appear in overlapping periods: their messages count once per period.');
  });

  it('connectors on TLS 1.0/1.1 and exports that could not be used', async () => {
    const db = await census({ 'in.csv': 'exo/connector-inbound.csv', 'broken.csv': 'exo/connector-missing-column.csv' });
    const s = readExoSection(db, ALL, 20);
    expect(s?.smtpAuth).toBeNull();
    expect(s?.connectors).toMatchObject({ connectors: 2, firstDay: '2024-03-04', lastDay: '2024-03-05', messages: 10900, legacyConnectors: 2, legacyMessages: 218, estimated: false });
    expect(s?.connectors?.listed.map((c) => [c.connector, c.direction, c.type, c.tls10, c.tls11, c.noTls])).toEqual([
      ['Inbound - Contoso on-premises', 'inbound', 'OnPremises', 215, 0, 0],
      ['Inbound - Fabrikam partner', 'inbound', 'Partner', 0, 3, 15],
    ]);
    expect(s?.unusable).toHaveLength(1);
    expect(s?.unusable[0].path).toMatch(/broken\.csv$/);
    const text = formatExoSection(s).join('\n');
    expect(text).toContain('Exchange Online connectors on TLS 1.0/1.1 (2024-03-04..2024-03-05): 2 of 2, 218 of 10,900 messages');
    expect(text).toMatch(/Exchange Online exports not used \(a needed column is missing\):\n {2}.*broken\.csv:\n {4}looks like/);
  });

  it('follows the report window: days, sources and servers', async () => {
    const db = await census({ 'a.csv': 'exo/smtp-auth-new-eac.csv', 'in.csv': 'exo/connector-inbound.csv' }, { start: '2024-03-04', end: '2024-03-10' });
    expect(readExoSection(db, { ...ALL, since: '2024-03-05' }, 20)?.connectors?.messages).toBe(5400);
    expect(readExoSection(db, { ...ALL, until: '2024-03-09' }, 20)?.smtpAuth).toBeNull(); // the period ends on the 10th
    expect(readExoSection(db, { ...ALL, sources: ['exo-connector'] }, 20)?.smtpAuth).toBeNull();
    expect(readExoSection(db, { ...ALL, sources: ['iis'] }, 20)).toBeNull();
    expect(readExoSection(db, { ...ALL, servers: ['exch01'] }, 20)).toBeNull();
    expect(readExoSection(db, { ...ALL, servers: ['exchange online'] }, 20)?.smtpAuth?.senders).toBe(6);
  });

  it('--redact replaces sender addresses', async () => {
    const db = await census({ 'a.csv': 'exo/smtp-auth-new-eac.csv' }, { start: '2024-03-04', end: '2024-03-10' });
    const r = redactExoSection(readExoSection(db, ALL, 20), (v) => `user-${v.length}`);
    expect(r?.smtpAuth?.listed.map((x) => x.sender)).toEqual(['user-25', 'user-22', 'user-22', 'user-19', 'user-18']);
    expect(formatExoSection(r).join('\n')).not.toContain('@');
  });
});

describe('the full summary', () => {
  it('carries the section, and --redact reaches the sender addresses in it', async () => {
    const db = await census({ 'a.csv': 'exo/smtp-auth-new-eac.csv' }, { start: '2024-03-04', end: '2024-03-10' });
    const s = readSummary(db, { top: 20 });
    expect(s.exo?.smtpAuth?.legacySenders).toBe(5);
    expect(formatText(s, { db: 'x.db', color: false })).toContain('Exchange Online SMTP AUTH senders on TLS 1.0/1.1: 5 of 6');
    const r = redact(s);
    expect(r.exo?.smtpAuth?.listed.every((x) => x.sender.startsWith('user-'))).toBe(true);
  });
});
