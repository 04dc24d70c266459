// Known exceptions: what each kind of rule matches, expiry, and the messages for bad rules and files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExceptionsFile } from '../../src/exceptions/exceptions-file.js';
import { checkException, isActive, matcherOf, type KnownException } from '../../src/exceptions/exceptions.js';
import { tempDir } from '../helpers.js';

const rule = (match: string, value: string, expires = '2030-01-01'): KnownException => ({
  id: null, origin: 'test', ...checkException('test', { match, value, reason: 'r', expires }),
});
const client = (clientIp: string | null, username: string | null = null, userAgent: string | null = null) =>
  ({ source: 'iis', clientIp, username, userAgent });

describe('known exceptions', () => {
  it('matches addresses and networks, IPv4 and IPv6', () => {
    const m = matcherOf([rule('ip', '10.1.0.0/16'), rule('ip', '2001:db8::/32'), rule('ip', '192.0.2.7')]);
    expect(m(client('10.1.255.3'))?.value).toBe('10.1.0.0/16');
    expect(m(client('10.2.0.1'))).toBeNull();
    expect(m(client('2001:db8:1::5'))?.value).toBe('2001:db8::/32');
    expect(m(client('192.0.2.7'))?.value).toBe('192.0.2.7');
    expect(m(client('192.0.2.8'))).toBeNull();
    expect(m(client(null))).toBeNull();
  });

  it('matches users and senders exactly or with "*", and user agents by the text they contain', () => {
    const m = matcherOf([rule('user', 'CONTOSO\\svc-*'), rule('sender', '*@printers.contoso.com'), rule('agent', 'windows ce')]);
    expect(m(client(null, 'contoso\\SVC-crm'))?.match).toBe('user');
    expect(m(client(null, 'CONTOSO\\jdoe'))).toBeNull();
    expect(m(client(null, 'mfp3@printers.contoso.com'))?.match).toBe('sender');
    expect(m(client(null, null, 'Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 7.11)'))?.match).toBe('agent');
    expect(m(client(null, null, 'Windows NT 10.0'))).toBeNull();
  });

  it('applies through its expiry day and not after', () => {
    const e = rule('ip', '10.0.0.1', '2024-06-30');
    expect(isActive(e, '2024-06-30')).toBe(true);
    expect(isActive(e, '2024-07-01')).toBe(false);
  });

  it('names the rule and what it expected when a rule is bad', () => {
    expect(() => rule('ip', '10.0.0.300')).toThrow(/Invalid exception test: expect an IP address or network/);
    expect(() => rule('ip', '10.0.0.0/33')).toThrow(/an IP address or network/);
    expect(() => rule('user', 'x', '2024-02-30')).toThrow(/expect an expiry date YYYY-MM-DD, got "2024-02-30"/);
    expect(() => checkException('x', { match: 'ip', value: '10.0.0.1', reason: ' ', expires: '2030-01-01' })).toThrow(/expect a reason/);
  });

  it('reads a CSV file in any column order, with comments, quotes and a BOM, and names FILE:LINE on errors', () => {
    const file = join(tempDir(), 'exceptions.csv');
    writeFileSync(file, '\uFEFFreason,match,expires,value\n# the lobby\n"kiosk, lobby",agent,2030-01-01,Kiosk\nscanner,ip,2030-01-01,10.9.0.0/24\n');
    const rules = readExceptionsFile(file);
    expect(rules.map((r) => [r.match, r.value, r.reason, r.origin.endsWith('exceptions.csv:3')])).toEqual([
      ['agent', 'Kiosk', 'kiosk, lobby', true],
      ['ip', '10.9.0.0/24', 'scanner', false],
    ]);
    writeFileSync(file, 'match,value\nip,10.0.0.1\n');
    expect(() => readExceptionsFile(file)).toThrow(/expect a header row "match,value,expires,reason", got "match,value"/);
    writeFileSync(file, 'match,value,expires,reason\nip,10.0.0.1,soon,x\n');
    expect(() => readExceptionsFile(file)).toThrow(/exceptions\.csv:2: expect an expiry date/);
  });
});
