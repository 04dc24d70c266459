// The CSV layer of Exchange Online exports: header aliases, delimiter detection, the Excel "sep=" line, quoted
// cells (also over several lines) and unclosed quotes.
import { describe, expect, it } from 'vitest';
import { headerLine, readHeader, RecordReader, splitLine, type RecordEvent } from '../../src/formats/exo-csv.js';
import { SMTP_AUTH_COLUMNS } from '../../src/formats/exo-smtp-auth-report.js';

describe('readHeader', () => {
  it('matches the new EAC and the old portal spellings, case- and space-insensitively', () => {
    const eac = readHeader('Sender address,Domain,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent', SMTP_AUTH_COLUMNS, null);
    expect(eac).toMatchObject({ delimiter: ',', columns: { sender: 0, domain: 1, tls10: 2, tls11: 3, tls12: 4, messages: 5 }, missing: [] });
    const old = readHeader('SENDER ADDRESS,tls1.0%,TLS1.1%,TLS 1.2 (%),message  count', SMTP_AUTH_COLUMNS, null);
    expect(old).toMatchObject({ columns: { sender: 0, tls10: 1, tls11: 2, tls12: 3, messages: 4 }, missing: [] });
  });

  it('picks the delimiter that names the most columns', () => {
    expect(readHeader('Sender address;Domain;TLS 1.0;TLS 1.1;TLS 1.2;Messages sent', SMTP_AUTH_COLUMNS, null).delimiter).toBe(';');
    expect(readHeader('Sender address\tTLS 1.0\tTLS 1.1\tTLS 1.2\tMessages sent', SMTP_AUTH_COLUMNS, null).delimiter).toBe('\t');
  });

  it('reads quoted header cells and an optional TLS 1.3 column', () => {
    const h = readHeader('"Sender address","TLS 1.0","TLS 1.1","TLS 1.2","TLS 1.3","Messages sent"', SMTP_AUTH_COLUMNS, null);
    expect(h.columns).toEqual({ sender: 0, tls10: 1, tls11: 2, tls12: 3, tls13: 4, messages: 5 });
  });

  it('lists the required columns that are missing', () => {
    const h = readHeader('Sender address,Message count', SMTP_AUTH_COLUMNS, null);
    expect(h.missing.map((m) => m.label)).toEqual(['TLS 1.0', 'TLS 1.1', 'TLS 1.2']);
    expect(h.found).toEqual(['Sender address', 'Message count']);
  });
});

describe('headerLine', () => {
  it('skips blank lines and takes the delimiter of an Excel "sep=" line', () => {
    expect(headerLine(['', 'sep=;', 'Sender address;TLS 1.0'])).toEqual({ text: 'Sender address;TLS 1.0', delimiter: ';' });
    expect(headerLine(['Sender address,TLS 1.0'])).toEqual({ text: 'Sender address,TLS 1.0', delimiter: null });
    expect(headerLine(['', ''])).toBeNull();
  });
});

describe('splitLine', () => {
  it('keeps delimiters and doubled quotes inside quoted cells', () => {
    expect(splitLine('"a,b","12,5%","say ""hi"""', ',')).toEqual(['a,b', '12,5%', 'say "hi"']);
    expect(splitLine('a;b;c', ';')).toEqual(['a', 'b', 'c']);
  });
});

describe('RecordReader', () => {
  const read = (lines: string[], delimiter = ','): RecordEvent[] => {
    const r = new RecordReader(delimiter, null);
    const out: RecordEvent[] = [];
    lines.forEach((l, i) => r.push(l, i + 1, out));
    return out;
  };

  it('one record per line, quoted or not, each at once (no look-ahead)', () => {
    const r = new RecordReader(',', null);
    const out: RecordEvent[] = [];
    r.push('"x@contoso.com","12,5%","3"', 5, out);
    expect(out).toEqual([{ kind: 'record', cells: ['x@contoso.com', '12,5%', '3'], line: 5 }]);
    r.push('y@contoso.com,0%,4', 6, out);
    expect(out[1]).toEqual({ kind: 'record', cells: ['y@contoso.com', '0%', '4'], line: 6 });
  });

  it('a quoted cell may run over several lines; the record keeps its first line number', () => {
    expect(read(['a,"first', 'second",c', 'd,e,f'])).toEqual([
      { kind: 'record', cells: ['a', 'first\nsecond', 'c'], line: 1 },
      { kind: 'record', cells: ['d', 'e', 'f'], line: 3 },
    ]);
  });

  it('a quote inside an unquoted cell is a literal, not the start of a quoted cell', () => {
    expect(read(['5" floppy,x', 'next,y'])).toEqual([
      { kind: 'record', cells: ['5" floppy', 'x'], line: 1 },
      { kind: 'record', cells: ['next', 'y'], line: 2 },
    ]);
  });

  it('an unclosed quote is reported and the lines after it are read again', () => {
    const lines = ['a,"never closed', ...Array.from({ length: 25 }, (_, i) => `r${i},v`)];
    const out = read(lines);
    expect(out[0]).toEqual({ kind: 'unclosed', line: 1 });
    expect(out.slice(1)).toHaveLength(25);
    expect(out[1]).toEqual({ kind: 'record', cells: ['r0', 'v'], line: 2 });
  });

  it('resumes a record cut by a checkpoint from its saved pending lines', () => {
    const first = new RecordReader(',', null);
    const out: RecordEvent[] = [];
    first.push('a,"one', 1, out);
    const saved = JSON.parse(JSON.stringify(first.pending));
    const second = new RecordReader(',', saved);
    second.push('two",b', 2, out);
    expect(out).toEqual([{ kind: 'record', cells: ['a', 'one\ntwo', 'b'], line: 1 }]);
  });
});
