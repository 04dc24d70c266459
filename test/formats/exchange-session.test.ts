// Sessions across reads: a session cut by the end of a file (the next hourly RECV file, the same file grown by the
// next scan, files read in the wrong order) is counted once with everything its parts show. Inputs are composed.
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../src/aggregate/usage.js';
import { CLOSED_MEMORY, memoryPending } from '../../src/formats/exchange-session.js';
import { exchangeSmtpFormat } from '../../src/formats/exchange-smtp.js';
import { newSmtpSession } from '../../src/formats/smtp-session.js';
import type { PendingSessions } from '../../src/formats/types.js';
import { hits, runFormat } from './exchange-run.js';

const HEADER =
  '#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: SMTP Receive Protocol Log\r\n' +
  '#Date: 2024-03-11T08:00:00.000Z\r\n' +
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n';
const TLS10 =
  '"TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"';

const line = (ts: string, id: string, seq: number, ev: string, data: string, ctx: string): string =>
  `2024-03-11T${ts}Z,EX01\\Default Frontend EX01,${id},${seq},10.20.0.15:25,10.20.5.31:51234,${ev},${data},${ctx}\r\n`;

/** One session split after its STARTTLS reply: head in one file, tail in the next. */
const HEAD =
  line('08:59:58.100', '08DC41A2B7C3D001', 0, '+', '', '') +
  line('08:59:58.200', '08DC41A2B7C3D001', 1, '<', 'EHLO MFP-3F.contoso.com', '') +
  line('08:59:58.300', '08DC41A2B7C3D001', 2, '<', 'STARTTLS', '') +
  line('08:59:58.400', '08DC41A2B7C3D001', 3, '>', '220 2.0.0 SMTP server ready', '');
const TAIL =
  line('09:00:00.100', '08DC41A2B7C3D001', 4, '*', '', TLS10) +
  line('09:00:00.200', '08DC41A2B7C3D001', 5, '*', 'CONTOSO\\svc-scan', 'authenticated') +
  line('09:00:01.000', '08DC41A2B7C3D001', 6, '-', '', 'Local');

const SOON = new Date('2024-03-11T09:00:30Z'); // the scan runs while the log is written
const LATER = new Date('2024-03-12T09:00:00Z'); // the scan runs a day later

/** Sum of hits per (protocol, user) over the rows of several reads, as the usage table would hold them. */
function totals(...runs: UsageRow[][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rows of runs) {
    for (const r of rows) {
      const k = `${r.dims.protocol} ${r.dims.username ?? '-'} ${r.dims.userAgent ?? '-'}`;
      out[k] = (out[k] ?? 0) + r.hits;
    }
  }
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

/** A new scan sees the same pending sessions through a new object (the engine makes one per scan). */
function nextScan(p: PendingSessions): PendingSessions {
  const q = memoryPending();
  for (const [k, s] of p.entries()) q.put(k, s);
  return q;
}

describe('sessions across files and scans', () => {
  it('a session cut by the hourly rollover is completed by the next file: one hit with both halves', () => {
    const pending = memoryPending();
    const first = runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: SOON });
    expect(first.rows).toEqual([]);
    expect(pending.entries()).toHaveLength(1);
    expect(pending.entries()[0][1]).toMatchObject({ counted: false, lastSeen: '2024-03-11T08:59:58.400Z' });
    const second = runFormat(exchangeSmtpFormat, HEADER + TAIL, { pending, now: SOON });
    expect(totals(first.rows, second.rows)).toEqual({ 'TLS 1.0 CONTOSO\\svc-scan MFP-3F.contoso.com': 1 });
    expect(second.rows[0].firstSeen).toBe('2024-03-11T08:59:58Z');
    expect(pending.entries()).toEqual([]);
  });

  it('a session counted after going idle is taken back when its continuation turns up later', () => {
    const pending = memoryPending();
    const first = runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: LATER });
    expect(totals(first.rows)).toEqual({ 'failed - MFP-3F.contoso.com': 1 });
    expect(first.rows[0].dims.detail).toBe('no TLS result logged');
    expect(pending.entries()[0][1].counted).toBe(true);
    const second = runFormat(exchangeSmtpFormat, HEADER + TAIL, { pending: nextScan(pending), now: LATER });
    expect(totals(first.rows, second.rows)).toEqual({ 'TLS 1.0 CONTOSO\\svc-scan MFP-3F.contoso.com': 1 });
  });

  it('a tail read before its head (files out of order) waits for it, then counts once', () => {
    const pending = memoryPending();
    const tail = runFormat(exchangeSmtpFormat, HEADER + TAIL, { pending, now: SOON });
    expect(tail.rows).toEqual([]);
    const head = runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: SOON });
    expect(totals(tail.rows, head.rows)).toEqual({ 'TLS 1.0 CONTOSO\\svc-scan MFP-3F.contoso.com': 1 });
    expect(pending.entries()).toEqual([]);
  });

  it('the same file resumed from its saved state after a checkpoint mid-session', () => {
    const pending = memoryPending();
    const a = runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: SOON, end: false });
    expect(pending.entries()).toEqual([]); // still in the file's own state
    const b = runFormat(exchangeSmtpFormat, TAIL, { pending, now: SOON, state: a.state });
    expect(totals(a.rows, b.rows)).toEqual({ 'TLS 1.0 CONTOSO\\svc-scan MFP-3F.contoso.com': 1 });
  });

  it('a session with no event for an hour of log time is counted with what it showed', () => {
    const text = HEADER + HEAD + line('10:30:00.000', '08DC41A2B7C3D099', 0, '+', '', '') + line('10:30:01.000', '08DC41A2B7C3D099', 1, '-', '', 'Local');
    const r = runFormat(exchangeSmtpFormat, text, { now: SOON, end: false });
    expect(totals(r.rows)).toEqual({ 'failed - MFP-3F.contoso.com': 1, 'none - -': 1 });
    const late = runFormat(exchangeSmtpFormat, text + line('10:31:00.000', '08DC41A2B7C3D001', 9, '<', 'QUIT', ''), { now: SOON, end: false });
    expect(late.diagnostics.map((d) => d.code)).toEqual(['after_end']);
  });

  it('a session read back with its fields in another order continues as a new one is laid out (one shape for the line path)', () => {
    const pending = memoryPending();
    runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: SOON });
    const [[key, p]] = pending.entries();
    const reordered = Object.fromEntries(Object.entries(p.state as object).reverse());
    const again = nextScan(memoryPending());
    again.put(key, { ...p, state: reordered });
    runFormat(exchangeSmtpFormat, HEADER + line('09:00:00.050', '08DC41A2B7C3D001', 4, '>', '250 2.0.0 OK', ''), { pending: again, now: SOON });
    const [[, back]] = again.entries();
    expect(Object.keys(back.state as object)).toEqual(Object.keys(newSmtpSession('', 'receive', '', null, false)));
    expect(back.state).toMatchObject({ ehlo: 'MFP-3F.contoso.com', tls: 2, lastSeq: 4, first: '2024-03-11T08:59:58.100Z' });
  });

  it('pending sessions left idle by an earlier scan are counted by the next; counted ones go once logs a week newer are read', () => {
    const pending = memoryPending();
    runFormat(exchangeSmtpFormat, HEADER + HEAD, { pending, now: SOON });
    const other = HEADER + line('09:10:00.000', '08DC41A2B7C3D002', 0, '+', '', '') + line('09:10:01.000', '08DC41A2B7C3D002', 1, '-', '', 'Local');
    const next = nextScan(pending);
    const r = runFormat(exchangeSmtpFormat, other, { pending: next, now: LATER });
    expect(totals(r.rows)).toEqual({ 'failed - MFP-3F.contoso.com': 1, 'none - -': 1 });
    expect(next.entries()[0][1].counted).toBe(true);
    const sameWeek = nextScan(next);
    runFormat(exchangeSmtpFormat, HEADER + other.replaceAll('2024-03-11T09:10', '2024-03-12T09:10'), { pending: sameWeek, now: LATER });
    expect(sameWeek.entries()).toHaveLength(1); // kept: a longer copy of the cut file may still turn up
    const week = nextScan(next);
    runFormat(exchangeSmtpFormat, HEADER + other.replaceAll('2024-03-11T09:10', '2024-03-19T09:10'), { pending: week, now: LATER });
    expect(week.entries()).toEqual([]);
  });
});

describe('finding a line\'s session', () => {
  it('interleaved sessions, more than the table caches, some sharing an id on two connectors: each counted once with its own lines', () => {
    const conn = (c: number): string => (c === 0 ? 'EX01\\Default Frontend EX01' : 'EX01\\Client Frontend EX01');
    const sessions = 5000; // more than the cache's slots, so slots are shared and sessions found by their key
    const at = (i: number): string => `2024-03-11T08:${String(Math.floor(i / 6000) % 60).padStart(2, '0')}:${String(Math.floor(i / 100) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`;
    let text = HEADER;
    let n = 0;
    // every session in turn logs one line of three rounds (connect, EHLO, end); ids repeat on the second connector
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < sessions; k++) {
        const c = k % 2;
        const id = `08DC${String(Math.floor(k / 2)).padStart(12, '0')}`;
        const ev = ['+', '<', '-'][round];
        const data = round === 1 ? `EHLO host-${k}` : '';
        text += `${at(n++)},${conn(c)},${id},${round},10.20.0.15:25,10.20.5.31:51234,${ev},${data},\r\n`;
      }
    }
    const r = runFormat(exchangeSmtpFormat, text, { now: SOON });
    expect(hits(r.rows)).toBe(sessions);
    expect(r.diagnostics).toEqual([]);
    const agents = r.rows.map((row) => `${row.dims.site} ${row.dims.userAgent}`).sort();
    const want = Array.from({ length: sessions }, (_, k) => `${conn(k % 2)} host-${k}`).sort();
    expect(agents).toEqual(want);
  });

  it('a session\'s first and last times are its earliest and latest lines\', also when its lines go back in time or are read by csv-parse', () => {
    const text = HEADER +
      // lines in order, then one earlier than the one before it, read by csv-parse (a quote inside a value)
      line('08:00:00.100', '08DC41A2B7C3D010', 0, '+', '', '') +
      line('08:00:02.000', '08DC41A2B7C3D010', 1, '<', 'EHLO host-a', '') +
      line('08:00:01.000', '08DC41A2B7C3D010', 2, '<', 'MAIL FROM:<a"b@c>', '') +
      line('08:00:03.000', '08DC41A2B7C3D010', 3, '-', '', 'Local') +
      // the end logged before the line it follows
      line('09:00:05.000', '08DC41A2B7C3D011', 0, '+', '', '') +
      line('09:00:07.000', '08DC41A2B7C3D011', 1, '<', 'EHLO host-b', '') +
      line('09:00:06.000', '08DC41A2B7C3D011', 2, '-', '', 'Local') +
      // still open at the end: its last time goes to pending_sessions as its latest line's
      line('09:10:00.000', '08DC41A2B7C3D012', 0, '+', '', '') +
      line('09:10:04.500', '08DC41A2B7C3D012', 1, '<', 'EHLO host-c', '');
    const times = (rows: UsageRow[]): string[] => rows.map((r) => `${r.dims.userAgent} ${r.firstSeen} ${r.lastSeen} ${r.hits}`).sort();
    // read whole, resumed from a saved state every line or two, and in small chunks (each line in a region of its own)
    for (const opts of [{}, { resumeEvery: 1 }, { resumeEvery: 2 }, { chunk: 16 }, { chunk: 200 }]) {
      const pending = memoryPending();
      const r = runFormat(exchangeSmtpFormat, text, { now: SOON, pending, ...opts });
      expect(times(r.rows)).toEqual([
        'host-a 2024-03-11T08:00:00Z 2024-03-11T08:00:03Z 1',
        'host-b 2024-03-11T09:00:05Z 2024-03-11T09:00:07Z 1',
      ]);
      expect(pending.entries().map(([, p]) => [p.lastSeen, (p.state as { first: string }).first])).toEqual([
        ['2024-03-11T09:10:04.500Z', '2024-03-11T09:10:00.000Z'],
      ]);
    }
  });

  it('ended sessions are remembered at least CLOSED_MEMORY deep: a repeated end line is a duplicate, an older one starts anew', () => {
    const sessions = CLOSED_MEMORY + 6000;
    const id = (k: number): string => `08DC${String(k).padStart(12, '0')}`;
    const at = (k: number, ms: number): string => `08:${String(Math.floor(k / 1000) % 60).padStart(2, '0')}:00.${String(ms).padStart(3, '0')}`;
    let text = HEADER;
    for (let k = 0; k < sessions; k++) text += line(at(k, 0), id(k), 0, '+', '', '') + line(at(k, 1), id(k), 1, '-', '', 'Local');
    const recent = sessions - CLOSED_MEMORY; // the CLOSED_MEMORY-th most recent to end
    text += line(at(sessions, 2), id(recent), 1, '-', '', 'Local') + line(at(sessions, 3), id(0), 1, '-', '', 'Local');
    const r = runFormat(exchangeSmtpFormat, text, { now: SOON });
    expect(r.diagnostics.map((d) => [d.code, d.count])).toEqual([['duplicate_line', 1]]);
    expect(hits(r.rows)).toBe(sessions); // the forgotten one's line waits for its start, uncounted (pending)
  });
});
