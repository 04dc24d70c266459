// Generates a folder of synthetic Exchange protocol logs (SMTP Receive/Send, POP3, IMAP4) laid out as Exchange writes
// them, one file per server, log and hour, deterministic per seed. Sessions interleave, and a session still open when
// the hour ends goes on in the next hour's file, as in real logs. It parses nothing and reads no clock.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import { popImapSession, smtpClients, smtpReceiveSession, smtpSendSession, type SessionLine } from './exchange-sessions.js';
import { createRandom, hashSeed, type Random } from './random.js';

export interface ExchangeFolderOptions {
  servers: string[];
  /** Hourly files per log, from 00:00 UTC of `startDate`. */
  hours: number;
  startDate: string;
  /** SMTP Receive sessions per server and hour; SMTP Send gets a quarter as many. */
  smtpPerHour: number;
  /** POP3 and IMAP4 sessions per server and hour (a third POP3). */
  popImapPerHour: number;
  seed: number;
}

export interface ExchangeFolderResult {
  files: string[];
  /** Sessions written (each begins with `+`/OpenSession and ends with `-`/CloseSession), per source. */
  sessions: { 'smtp-receive': number; 'smtp-send': number; pop3: number; imap4: number };
  lines: number;
  bytes: number;
}

const HOUR_MS = 3_600_000;
const EOL = '\r\n';
const SMTP_FIELDS = 'date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context';
const POP_IMAP_FIELDS = 'dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context';

type Source = keyof ExchangeFolderResult['sessions'];

interface Log {
  readonly source: Source;
  readonly folder: string[];
  readonly prefix: string;
  readonly logType: string;
  readonly fields: string;
  /** Lines of sessions begun in an earlier hour, not yet written. */
  spill: SessionLine[];
}

export function generateExchangeFolder(outDir: string, opts: ExchangeFolderOptions): ExchangeFolderResult {
  const startMs = checkOptions(opts);
  const clients = smtpClients();
  const result: ExchangeFolderResult = { files: [], sessions: { 'smtp-receive': 0, 'smtp-send': 0, pop3: 0, imap4: 0 }, lines: 0, bytes: 0 };
  opts.servers.forEach((server, serverIndex) => {
    const logs: Log[] = [
      { source: 'smtp-receive', folder: ['TransportRoles', 'Logs', 'FrontEnd', 'ProtocolLog', 'SmtpReceive'], prefix: 'RECV', logType: 'SMTP Receive Protocol Log', fields: SMTP_FIELDS, spill: [] },
      { source: 'smtp-send', folder: ['TransportRoles', 'Logs', 'FrontEnd', 'ProtocolLog', 'SmtpSend'], prefix: 'SEND', logType: 'SMTP Send Protocol Log', fields: SMTP_FIELDS, spill: [] },
      { source: 'pop3', folder: ['Logging', 'Pop3'], prefix: 'POP3', logType: 'POP3 Protocol Log', fields: POP_IMAP_FIELDS, spill: [] },
      { source: 'imap4', folder: ['Logging', 'Imap4'], prefix: 'IMAP4', logType: 'IMAP4 Protocol Log', fields: POP_IMAP_FIELDS, spill: [] },
    ];
    // Exchange numbers SMTP sessions with one counter per transport service, POP3/IMAP4 per service start.
    let smtpId = serverIndex * 0x1_0000_0000;
    const popImapIds = { pop3: 0x1a00, imap4: 0x2b00 };
    for (let hour = 0; hour < opts.hours; hour++) {
      const hourMs = startMs + hour * HOUR_MS;
      const last = hour === opts.hours - 1;
      for (const log of logs) {
        const random = createRandom(hashSeed(opts.seed, server, log.source, hour));
        const count = sessionsPerHour(log.source, opts);
        const lines = log.spill;
        for (const start of startTimes(hourMs, count, random)) {
          if (log.source === 'smtp-receive' || log.source === 'smtp-send') {
            const id = '08DC' + (smtpId++).toString(16).toUpperCase().padStart(12, '0');
            lines.push(...(log.source === 'smtp-receive'
              ? smtpReceiveSession(random.pick(clients), server, id, start, random)
              : smtpSendSession(random.int(400), server, id, start, random)));
          } else {
            const id = (popImapIds[log.source]++).toString(16).toUpperCase().padStart(16, '0');
            lines.push(...popImapSession(log.source, `10.20.0.${15 + serverIndex}`, random.int(3000), id, start, random));
          }
        }
        result.sessions[log.source] += count;
        lines.sort((a, b) => a.ms - b.ms); // stable: a session's lines keep their order
        const cut = last ? lines.length : firstAtOrAfter(lines, hourMs + HOUR_MS);
        const path = join(outDir, server, ...log.folder, `${log.prefix}${stamp(hourMs)}-1.LOG`);
        result.bytes += writeLog(path, log, hourMs, lines.slice(0, cut));
        result.lines += cut;
        result.files.push(path);
        log.spill = lines.slice(cut);
      }
    }
  });
  return result;
}

function sessionsPerHour(source: Source, opts: ExchangeFolderOptions): number {
  switch (source) {
    case 'smtp-receive':
      return opts.smtpPerHour;
    case 'smtp-send':
      return Math.max(1, Math.round(opts.smtpPerHour / 4));
    case 'pop3':
      return Math.max(1, Math.round(opts.popImapPerHour / 3));
    case 'imap4':
      return Math.max(1, opts.popImapPerHour - Math.round(opts.popImapPerHour / 3));
  }
}

/**
 * `n` session starts spread over the hour, in order. The last one begins a fraction of a second before the hour
 * ends, so every hourly file hands at least one open session to the next, as on a busy server.
 */
function startTimes(hourMs: number, n: number, random: Random): number[] {
  const out: number[] = [];
  for (let i = 0; i < n - 1; i++) out.push(hourMs + Math.floor(((i + random.next()) / n) * HOUR_MS));
  out.push(hourMs + HOUR_MS - 100 - random.int(200));
  return out;
}

function firstAtOrAfter(lines: readonly SessionLine[], ms: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid].ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function writeLog(path: string, log: Log, hourMs: number, lines: readonly SessionLine[]): number {
  mkdirSync(join(path, '..'), { recursive: true });
  const writer = new ChunkWriter(path);
  writer.write(`#Software: Microsoft Exchange Server${EOL}#Version: 15.02.1544.004${EOL}#Log-type: ${log.logType}${EOL}` +
    `#Date: ${new Date(hourMs).toISOString()}${EOL}#Fields: ${log.fields}${EOL}`);
  for (const line of lines) writer.write(new Date(line.ms).toISOString() + line.text + EOL);
  return writer.close();
}

/** `yyyymmddhh` of an hour, as in RECV2024031108-1.LOG. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '');

function checkOptions(opts: ExchangeFolderOptions): number {
  if (opts.servers.length === 0) throw new RangeError('servers: expect at least one server name');
  for (const server of opts.servers) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(server)) throw new RangeError(`servers: expect host names, got "${server}"`);
  }
  for (const [name, value] of [['hours', opts.hours], ['smtpPerHour', opts.smtpPerHour], ['popImapPerHour', opts.popImapPerHour]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name}: expect a positive integer, got ${value}`);
  }
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed: expect an integer, got ${opts.seed}`);
  const ms = Date.parse(`${opts.startDate}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.startDate) || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== opts.startDate) {
    throw new RangeError(`startDate: expect a date YYYY-MM-DD, got "${opts.startDate}"`);
  }
  return ms;
}
