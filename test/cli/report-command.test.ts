// `tls-census report`: formats, --out, the filter flags and their validation, colour rules, and the scan progress
// bar (on a terminal only, never with --quiet).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';
import { useColor } from '../../src/cli/report-command.js';
import { filterSpec, parseDay } from '../../src/cli/report-options.js';
import { tempDir } from '../helpers.js';
import { buildDb } from '../report/report-db.js';
import { runCli } from './run-cli.js';

const db = buildDb([
  { day: '2024-03-10', client_ip: '10.0.0.5', protocol: 'TLS 1.0', hits: 4 },
  { day: '2024-03-12', client_ip: '10.0.0.6', server: 'EXCH02', protocol: 'TLS 1.1', hits: 2 },
  { day: '2024-03-12', hits: 20 },
]);

describe('tls-census report', () => {
  it('prints each format and writes --out files', async () => {
    for (const format of ['text', 'markdown', 'json', 'csv', 'html']) {
      const r = await runCli(['report', '--db', db, '--format', format]);
      expect(r.code, `${format}: ${r.err}`).toBe(0);
      expect(r.out.length).toBeGreaterThan(100);
    }
    const out = join(tempDir(), 'r.html');
    const r = await runCli(['report', '--db', db, '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('applies the filters', async () => {
    const json = async (...args: string[]) => JSON.parse((await runCli(['report', '--db', db, '--format', 'json', ...args])).out);
    expect((await json('--days', '1')).legacyClients.map((c: { clientIp: string }) => c.clientIp)).toEqual(['10.0.0.6']);
    expect((await json('--until', '2024-03-11')).legacyClients.map((c: { clientIp: string }) => c.clientIp)).toEqual(['10.0.0.5']);
    expect((await json('--server', 'exch02,EXCH09')).window.servers).toEqual(['exch02', 'exch09']);
    expect((await json('--server', 'exch02')).legacy.clients).toBe(1);
    expect((await json('--source', 'smtp')).totals).toEqual([]);
    expect((await json('--top', '1')).legacyClients).toHaveLength(1);
  });

  it.each([
    [['--since', 'yesterday'], /Invalid option --since: expect a date YYYY-MM-DD/],
    [['--until', '2024-02-31'], /Invalid option --until: expect a real calendar date/],
    [['--since', '2024-03-12', '--until', '2024-03-10'], /Invalid option --until: expect a day on or after --since 2024-03-12/],
    [['--days', '3', '--since', '2024-03-01'], /Invalid option --days: expect no --since or --until/],
    [['--days', '0'], /Invalid option --days: expect a whole number ≥ 1/],
    [['--top', '-1'], /Invalid option --top/],
    [['--format', 'pdf'], /Invalid values|Choices/],
    [['--out', join('/nonexistent-folder', 'r.txt')], /cannot write --out/],
  ])('rejects %j with one line, exit 2', async (args, message) => {
    const r = await runCli(['report', '--db', db, ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('reads dates and date-times as UTC days', () => {
    expect(parseDay('--since', '2024-03-11')).toBe('2024-03-11');
    expect(parseDay('--since', '2024-03-11T23:30:00-02:00')).toBe('2024-03-12');
    expect(filterSpec({ server: ['a,b', 'c'] }).servers).toEqual(['a', 'b', 'c']);
    expect(() => filterSpec({ server: ['a,,b'] })).toThrow(/--server/);
  });
});

describe('colour', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('only on a terminal, and never with NO_COLOR', () => {
    delete process.env.NO_COLOR;
    expect(useColor({ isTTY: true })).toBe(true);
    expect(useColor({ isTTY: false })).toBe(false);
    expect(useColor({})).toBe(false);
    process.env.NO_COLOR = '1';
    expect(useColor({ isTTY: true })).toBe(false);
    process.env.NO_COLOR = '';
    expect(useColor({ isTTY: true })).toBe(true); // an empty NO_COLOR does not count (no-color.org)
  });
});

describe('scan progress bar', () => {
  const SAMPLES = join(import.meta.dirname, '..', '..', 'samples');
  const terminal = (isTTY: boolean) => {
    const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
    stream.isTTY = isTTY;
    stream.columns = 120;
    stream.cursorTo = () => true;
    stream.clearLine = () => true;
    stream.moveCursor = () => true;
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
  };

  it('draws files, bytes, lines/s and ETA on a terminal', async () => {
    const t = terminal(true);
    const p = await startProgress([SAMPLES], { quiet: false, stream: t.stream });
    expect(p.onProgress).toBeDefined();
    p.onProgress?.({ files: 3, position: 1000, bytes: 200_000, lines: 5000 });
    await new Promise((r) => setTimeout(r, 400)); // the bar redraws on a timer (8 frames a second)
    p.stop();
    expect(t.text()).toMatch(/3\/10 files \| 195\.3 KB read \| [\d,]+ lines\/s \| ETA /);
  });

  it('is silent when piped or with --quiet', async () => {
    for (const [isTTY, quiet] of [[false, false], [true, true]]) {
      const t = terminal(isTTY);
      const p = await startProgress([SAMPLES], { quiet, stream: t.stream });
      expect(p.onProgress).toBeUndefined();
      p.stop();
      expect(t.text()).toBe('');
    }
  });
});
