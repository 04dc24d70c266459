// The --fields list (issue 11): W3C names, space- or comma-separated, checked against what IIS, HTTP.sys and the W3C
// draft write; and which format and start state a file without #Fields gets from it (sniff).
import { describe, expect, it } from 'vitest';
import { sniff } from '../../src/engine/sniff.js';
import { FORMATS } from '../../src/formats/index.js';
import { parseW3cFields } from '../../src/formats/w3c-fields.js';
import { readFixture } from '../helpers.js';

describe('parseW3cFields', () => {
  it('takes spaces, commas or both, any case, header fields, x- fields and names given to --field-map', () => {
    expect(parseW3cFields('date time, s-ip,cs(User-Agent)  X-Forwarded-For', [])).toEqual({ names: ['date', 'time', 's-ip', 'cs(User-Agent)', 'X-Forwarded-For'] });
    expect(parseW3cFields('DATE TIME C-IP SC-STATUS crypt-protocol', [])).toEqual({ names: ['DATE', 'TIME', 'C-IP', 'SC-STATUS', 'crypt-protocol'] });
    expect(parseW3cFields('date time c-port s-reason streamid_ex', [])).toEqual({ names: ['date', 'time', 'c-port', 's-reason', 'streamid_ex'] });
    expect(parseW3cFields('date time tlsproto', ['tlsproto'])).toEqual({ names: ['date', 'time', 'tlsproto'] });
  });

  it('names the first unknown field', () => {
    expect(parseW3cFields('date time tlsproto', [])).toEqual({ unknown: 'tlsproto' });
    expect(parseW3cFields('date time cs-user-agent c-ip', [])).toEqual({ unknown: 'cs-user-agent' });
    expect(parseW3cFields('date time cs(User Agent)', [])).toEqual({ unknown: 'cs(User' });
  });
});

const HTTPERR_FIELDS = 'date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename'.split(' ');

describe('sniff with --fields', () => {
  const lines = (name: string) => readFixture(name).toString('utf8').split('\n');
  const bare = (name: string) => Buffer.from(lines(name).filter((l) => !l.startsWith('#')).join('\n'));
  const hints = (fields: readonly string[] | null) => ({ folders: [], logType: null, fields });

  it('an HTTP.sys list (c-port, s-reason) reads an HTTPERR file without directives as httperr', () => {
    const s = sniff(bare('httperr/beats-error-test.log'), FORMATS, hints(HTTPERR_FIELDS));
    expect(s).toMatchObject({ format: { name: 'httperr' }, start: { layout: `HTTP.sys fields given by --fields: ${HTTPERR_FIELDS.join(' ')}` } });
  });

  it('an IIS header without #Fields takes the list; a file with its own #Fields, or without the option, does not', () => {
    const iis = ['#Software: Microsoft Internet Information Services 10.0', '2024-03-11 08:00:00 192.0.2.1 200', ''].join('\n');
    expect(sniff(Buffer.from(iis), FORMATS, hints(['date', 'time', 'c-ip', 'sc-status']))).toMatchObject({
      format: { name: 'iis-w3c' }, start: { state: { fields: 'date time c-ip sc-status' } },
    });
    expect(sniff(Buffer.from(iis), FORMATS, hints(null))).toEqual({ format: expect.objectContaining({ name: 'iis-w3c' }) });
    const own = sniff(readFixture('iis/lnav-logfile_w3c.0.log'), FORMATS, hints(['date', 'time', 'c-ip']));
    expect(own).toEqual({ format: expect.objectContaining({ name: 'iis-w3c' }) });
  });

  it('Exchange lines without directives keep their own default layout', () => {
    const s = sniff(readFixture('exchange/css-docsite-SEND20191104-excerpt.LOG'), FORMATS, hints(['date', 'time', 'c-ip']));
    expect(s).toMatchObject({ format: { name: 'exchange-smtp' }, start: { layout: 'SMTP Send default fields, inferred from the TLS line' } });
  });
});
