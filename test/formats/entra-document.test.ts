// The JSON document reader of Entra ID sign-ins over composed bytes, at many chunk sizes: a corrupted sign-in in the
// middle of a Graph page or a portal array is skipped and the sign-ins after it are read; a cut download keeps what
// came before the cut; each with one diagnostic naming line and byte.
import { describe, expect, it } from 'vitest';
import { DiagnosticCounter } from '../../src/aggregate/diagnostics.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { entraJsonFormat } from '../../src/formats/entra/document.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { NO_HINTS } from '../helpers.js';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readDocument(bytes: Buffer, size: number) {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter('test.json');
  const reader = entraJsonFormat.document!({ file: 'test.json', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags });
  await reader.read(pieces(bytes, size), () => undefined, () => undefined, (start) => pieces(bytes.subarray(start), size));
  const users = agg.drain().map((r) => r.dims.username).sort();
  return { users, records: reader.records, diagnostics: diags.drain(), bad: diags.total };
}

const signIn = (n: number, extra = ''): string => `{
    "id": "0000000${n}-aaaa-4bbb-8ccc-00000000000${n}",
    "createdDateTime": "2026-11-10T06:0${n}:00Z",
    "userPrincipalName": "user${n}@contoso.com",
    "ipAddress": "192.0.2.${n}",${extra}
    "status": { "errorCode": 0, "failureReason": "Other." },
    "deviceDetail": { "operatingSystem": "Windows 7", "browser": "Zürich Browser" },
    "authenticationProcessingDetails": [
      { "key": "Root Key Type", "value": "Unknown" },
      { "key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "True" }
    ]
  }`;

const page = (objects: string[]): string =>
  `\ufeff{"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",\n  "value": [\n  ${objects.join(',\n  ')}\n  ],\n  "@odata.nextLink": "https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x"\n}\n`;

const SIZES = [1, 3, 17, 64, 1000, 1 << 20];

describe('malformed JSON in a sign-in document', () => {
  it('a corrupted sign-in in the middle of a Graph page: skipped, the ones after it are read', async () => {
    // an unquoted key inside sign-in 3
    const text = page([signIn(1), signIn(2), signIn(3).replace('"userPrincipalName"', 'userPrincipalName'), signIn(4), signIn(5)]);
    const bytes = Buffer.from(text);
    const line = text.slice(0, text.indexOf('userPrincipalName: ')).split('\n').length;
    const byte = Buffer.byteLength(text.slice(0, text.indexOf('userPrincipalName: ')));
    for (const size of SIZES) {
      const r = await readDocument(bytes, size);
      expect(r.users, `chunk ${size}`).toEqual(['user1@contoso.com', 'user2@contoso.com', 'user4@contoso.com', 'user5@contoso.com']);
      expect(r.records).toBe(4);
      expect(r.bad).toBe(1);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ code: 'bad_json', firstLine: line });
      expect(r.diagnostics[0].message).toBe(`malformed JSON at line ${line}, column 5 (byte ${byte}): expected an object key; ` +
        `the sign-in there was skipped (2 sign-ins before it were read), reading went on after it`);
    }
  });

  it('a portal array with two broken places (a missing comma, a stray character): everything else is read', async () => {
    const objects = [signIn(1), signIn(2), signIn(3, '\n    "userAgent": "BAV2ROPC" x,'), signIn(4), signIn(5), signIn(6)];
    const text = `[\n  ${objects.slice(0, 2).join(',\n  ')}\n  ${objects.slice(2).join(',\n  ')}\n]\n`;
    for (const size of SIZES) {
      const r = await readDocument(Buffer.from(text), size);
      // sign-in 2 lacks its comma (it and 3 are whole, read), sign-in 3 holds the stray x (skipped)
      expect(r.users, `chunk ${size}`).toEqual(['user1@contoso.com', 'user2@contoso.com', 'user4@contoso.com', 'user5@contoso.com', 'user6@contoso.com']);
      expect(r.diagnostics.map((d) => [d.code, d.count])).toEqual([['bad_json', 2]]);
      expect(r.bad).toBe(2);
    }
  });

  it('garbage after the last sign-in and after the page: one diagnostic, nothing lost', async () => {
    const text = page([signIn(1), signIn(2)]).replace(/\n$/, '') + '\n<html>502 Bad Gateway</html>\n';
    for (const size of SIZES) {
      const r = await readDocument(Buffer.from(text), size);
      expect(r.users).toEqual(['user1@contoso.com', 'user2@contoso.com']);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['bad_json']);
      expect(r.diagnostics[0].message).toMatch(/no sign-in follows it$/);
    }
  });

  it('a download cut after a resumed place still names the cut', async () => {
    const full = page([signIn(1), signIn(2).replace('"ipAddress"', 'ipAddress'), signIn(3), signIn(4)]);
    const text = full.slice(0, full.indexOf('"user4@'));
    for (const size of SIZES) {
      const r = await readDocument(Buffer.from(text), size);
      expect(r.users).toEqual(['user1@contoso.com', 'user3@contoso.com']);
      expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['bad_json', 'truncated']);
      expect(r.diagnostics.find((d) => d.code === 'truncated')?.message).toMatch(/^the JSON ends inside a sign-in at line \d+, column \d+ \(byte \d+\) \(an interrupted download\?\): the 2 sign-ins before the cut were read$/);
    }
  });

  it('a cut download: everything before the cut, one diagnostic naming line and byte', async () => {
    const full = page([signIn(1), signIn(2), signIn(3)]);
    const cut = full.indexOf('"Windows 7"', full.indexOf('user3@'));
    const text = full.slice(0, cut);
    for (const size of SIZES) {
      const r = await readDocument(Buffer.from(text), size);
      expect(r.users).toEqual(['user1@contoso.com', 'user2@contoso.com']);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0].code).toBe('truncated');
      expect(r.diagnostics[0].message).toMatch(/^the JSON ends inside a sign-in at (byte \d+|line \d+, column \d+ \(byte \d+\)) \(an interrupted download\?\): the 2 sign-ins before the cut were read$/);
    }
  });
});
