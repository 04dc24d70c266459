// Generates a folder of realistic Exchange front-end IIS W3C logs (with crypt-* fields), deterministic per seed.
// Each file is seeded from (seed, server, site, date), so day N's files do not depend on how many days were asked
// for. It does not parse anything; nothing here reads the clock or Math.random.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import { SUITES, expandPopulation, type ClientInstance, type EndpointKind, type SuiteName } from './clients.js';
import { createRandom, hashSeed, weightedPicker, type Random } from './random.js';
import { buildRequest } from './requests.js';
import { Crowd, type TrafficShape } from './traffic-shape.js';

export interface IisFolderOptions {
  servers: string[];
  days: number;
  /** First day, `YYYY-MM-DD` (UTC). */
  startDate: string;
  /** Request lines in each server's front-end (W3SVC1) file per day. */
  linesPerServerPerDay: number;
  seed: number;
  /** Also write W3SVC2 (Exchange Back End, port 444) files, a quarter of the front-end size. */
  backEnd?: boolean;
  /** Another traffic shape: a crowd of internet clients making a share of the front-end requests (traffic-shape.ts). */
  shape?: TrafficShape;
}

export interface IisFolderResult {
  files: string[];
  /** Request lines written, directives not included. */
  lines: number;
  bytes: number;
}

export const IIS_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) ' +
  'sc-status sc-substatus sc-win32-status time-taken crypt-protocol crypt-cipher crypt-hash crypt-keyexchange';
/** The field list after the simulated mid-file IIS restart (a custom field added by config change). */
export const IIS_FIELDS_AFTER_RESTART = `${IIS_FIELDS} OriginalClientIP`;

const EOL = '\r\n'; // IIS writes CRLF
const DAY_MS = 86_400_000;
/** Requests per UTC hour, relative: a working day in Europe with a long tail. */
const HOURLY_PROFILE = [2, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 13, 14, 13, 12, 10, 7, 5, 4, 3, 3, 2];
const BACK_END_UA = 'Mozilla/4.0+(compatible;+Win32;+WinHttp.WinHttpRequest.5)';
const BACK_END_CRYPT = SUITES['tls12-ecdhe-aes256-sha384'];
const BACK_END_ENDPOINTS: ReadonlySet<EndpointKind> = new Set(['owa', 'ecp', 'ews', 'eas', 'mapi', 'rpc', 'autodiscover', 'oab']);

interface Population {
  readonly pickClient: (random: Random) => ClientInstance;
  readonly pickBackEndClient: (random: Random) => ClientInstance;
  readonly pickEndpoint: ReadonlyMap<string, (random: Random) => EndpointKind>;
  readonly pickSuite: ReadonlyMap<string, (random: Random) => SuiteName>;
  readonly crowd: Crowd | null;
  readonly crowdShare: number;
}

interface FileSpec {
  readonly site: 'W3SVC1' | 'W3SVC2';
  readonly path: string;
  readonly server: string;
  readonly serverIp: string;
  /** The other front ends, which call this server's back end. */
  readonly peerIps: readonly string[];
  readonly dayMs: number;
  readonly lines: number;
  /** Index of the data line before which IIS "restarts" with OriginalClientIP added; -1 for none. */
  readonly restartAt: number;
  readonly seed: number;
}

export function generateIisFolder(outDir: string, opts: IisFolderOptions): IisFolderResult {
  const options = normalizeOptions(opts);
  const population = buildPopulation(options.shape);
  const serverIps = options.servers.map((_, i) => `10.20.0.${11 + i}`);
  const result: IisFolderResult = { files: [], lines: 0, bytes: 0 };
  for (let day = 0; day < options.days; day++) {
    const dayMs = options.startMs + day * DAY_MS;
    const stamp = isoDate(dayMs).slice(2).replaceAll('-', '');
    const restartServer = (dayMs / DAY_MS) % options.servers.length; // by absolute day, not by position in the run
    options.servers.forEach((server, i) => {
      const peers = serverIps.filter((_, j) => j !== i);
      const common = { server, serverIp: serverIps[i], peerIps: peers.length > 0 ? peers : [serverIps[i]], dayMs };
      const sites: FileSpec[] = [{
        ...common, site: 'W3SVC1', path: join(outDir, server, 'W3SVC1', `u_ex${stamp}_x.log`), lines: options.linesPerServerPerDay,
        restartAt: restartServer === i ? Math.floor(options.linesPerServerPerDay / 2) : -1,
        seed: hashSeed(options.seed, server, 'W3SVC1', stamp),
      }];
      if (options.backEnd) {
        sites.push({
          ...common, site: 'W3SVC2', path: join(outDir, server, 'W3SVC2', `u_ex${stamp}_x.log`),
          lines: Math.max(1, Math.round(options.linesPerServerPerDay / 4)), restartAt: -1,
          seed: hashSeed(options.seed, server, 'W3SVC2', stamp),
        });
      }
      for (const spec of sites) {
        const bytes = spec.site === 'W3SVC2' ? writeBackEndFile(spec, population) : writeFrontEndFile(spec, population);
        result.files.push(spec.path);
        result.lines += spec.lines;
        result.bytes += bytes;
      }
    });
  }
  return result;
}

function normalizeOptions(opts: IisFolderOptions): Required<Omit<IisFolderOptions, 'shape'>> & { shape?: TrafficShape; startMs: number } {
  if (opts.servers.length === 0) throw new RangeError('servers: expect at least one server name');
  for (const server of opts.servers) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(server)) throw new RangeError(`servers: expect host names, got "${server}"`);
  }
  for (const [name, value] of [['days', opts.days], ['linesPerServerPerDay', opts.linesPerServerPerDay]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name}: expect a positive integer, got ${value}`);
  }
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed: expect an integer, got ${opts.seed}`);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(opts.startDate);
  const startMs = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || isoDate(startMs) !== opts.startDate) {
    throw new RangeError(`startDate: expect a date YYYY-MM-DD, got "${opts.startDate}"`);
  }
  return { ...opts, backEnd: opts.backEnd ?? false, startMs };
}

function buildPopulation(shape: TrafficShape | undefined): Population {
  const clients = expandPopulation();
  const pickEndpoint = new Map<string, (random: Random) => EndpointKind>();
  const pickSuite = new Map<string, (random: Random) => SuiteName>();
  for (const { profile } of clients) {
    if (pickEndpoint.has(profile.id)) continue;
    pickEndpoint.set(profile.id, pickerOf(profile.endpoints));
    pickSuite.set(profile.id, pickerOf(profile.suites));
  }
  const backEndClients = clients.filter(
    (c) => c.profile.behavior === 'normal' && c.user !== '-' && Object.keys(c.profile.endpoints).some((e) => BACK_END_ENDPOINTS.has(e as EndpointKind)),
  );
  return {
    pickClient: weightedPicker(clients, (c) => c.weight),
    pickBackEndClient: weightedPicker(backEndClients, (c) => c.weight),
    pickEndpoint,
    pickSuite,
    crowd: shape === undefined ? null : new Crowd(shape),
    crowdShare: shape?.share ?? 0,
  };
}

function pickerOf<K extends string>(weights: Partial<Record<K, number>>): (random: Random) => K {
  const entries = Object.entries(weights) as [K, number][];
  const pick = weightedPicker(entries, ([, weight]) => weight);
  return (random) => pick(random)[0];
}

function writeFrontEndFile(spec: FileSpec, population: Population): number {
  const random = createRandom(spec.seed);
  const date = isoDate(spec.dayMs);
  const writer = new ChunkWriter(ensureDir(spec.path));
  let withOriginalIp = false;
  for (let i = 0; i < spec.lines; i++) {
    const time = timeOfDay(i, spec.lines, random);
    if (i === 0) writer.write(header(date, time, IIS_FIELDS));
    if (i === spec.restartAt) {
      writer.write(header(date, time, IIS_FIELDS_AFTER_RESTART));
      withOriginalIp = true;
    }
    // Without a shape no extra draw is made: the default folders stay byte for byte what they were
    const crowd = population.crowd !== null && random.next() < population.crowdShare ? population.crowd.pick(random) : null;
    const client = crowd?.client ?? population.pickClient(random);
    const endpoint = crowd?.endpoint ?? population.pickEndpoint.get(client.profile.id)?.(random) ?? 'owa';
    const suite = SUITES[crowd?.suite ?? population.pickSuite.get(client.profile.id)?.(random) ?? 'plain-http'];
    const request = buildRequest(client, endpoint, random);
    const port = suite.protocol === '-' ? 80 : 443;
    const clientIp = client.profile.viaProxy ?? client.ip ?? spec.serverIp;
    let line = `${date} ${time} ${spec.serverIp} ${request.method} ${request.stem} ${request.query} ${port} ${request.user} ` +
      `${clientIp} ${request.userAgent} ${request.referer} ${request.status} ${request.substatus} ${request.win32} ` +
      `${request.timeTaken} ${suite.protocol} ${suite.cipher} ${suite.hash} ${suite.keyExchange}`;
    if (withOriginalIp) line += client.profile.viaProxy ? ` ${client.ip}` : ' -';
    writer.write(line + EOL);
  }
  return writer.close();
}

function writeBackEndFile(spec: FileSpec, population: Population): number {
  const random = createRandom(spec.seed);
  const date = isoDate(spec.dayMs);
  const writer = new ChunkWriter(ensureDir(spec.path));
  const crypt = `${BACK_END_CRYPT.protocol} ${BACK_END_CRYPT.cipher} ${BACK_END_CRYPT.hash} ${BACK_END_CRYPT.keyExchange}`;
  for (let i = 0; i < spec.lines; i++) {
    const time = timeOfDay(i, spec.lines, random);
    if (i === 0) writer.write(header(date, time, IIS_FIELDS));
    const client = population.pickBackEndClient(random);
    let endpoint = population.pickEndpoint.get(client.profile.id)?.(random) ?? 'ews';
    if (!BACK_END_ENDPOINTS.has(endpoint)) endpoint = 'ews';
    const request = buildRequest(client, endpoint, random);
    // The front end's HttpProxy re-issues the request; ActiveSync goes to the back end's /Proxy path
    const stem = endpoint === 'eas' ? '/Microsoft-Server-ActiveSync/Proxy/default.eas' : request.stem;
    writer.write(
      `${date} ${time} ${spec.serverIp} ${request.method} ${stem} ${request.query} 444 ${request.user} ` +
      `${random.pick(spec.peerIps)} ${BACK_END_UA} - ${request.status} ${request.substatus} ${request.win32} ` +
      `${request.timeTaken} ${crypt}${EOL}`,
    );
  }
  return writer.close();
}

function header(date: string, time: string, fields: string): string {
  return `#Software: Microsoft Internet Information Services 10.0${EOL}#Version: 1.0${EOL}` +
    `#Date: ${date} ${time}${EOL}#Fields: ${fields}${EOL}`;
}

function ensureDir(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  return path;
}

const HOURLY_TOTAL = HOURLY_PROFILE.reduce((a, b) => a + b, 0);
const HOURLY_START = HOURLY_PROFILE.map((_, h) => HOURLY_PROFILE.slice(0, h).reduce((a, b) => a + b, 0) / HOURLY_TOTAL);

/**
 * `hh:mm:ss` of line i of n: u = (i + jitter) / n rises strictly, and the inverse of the hourly profile's CDF
 * is monotonic, so timestamps never go backwards within a file.
 */
function timeOfDay(i: number, n: number, random: Random): string {
  const u = (i + random.next()) / n;
  let hour = HOURLY_START.length - 1;
  while (hour > 0 && HOURLY_START[hour] > u) hour--;
  const inHour = (u - HOURLY_START[hour]) / (HOURLY_PROFILE[hour] / HOURLY_TOTAL);
  const seconds = Math.min(86_399, Math.floor(hour * 3600 + inHour * 3600));
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = seconds % 60;
  return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const isoDate = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '');
