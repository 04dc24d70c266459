// The synthetic IIS generator: byte-identical reruns, samples/ in sync with it, well-formed W3C lines, protocol mix.
// It does not test the scanner on these files (the scan tests do that).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIisFolder, type IisFolderOptions } from '../../src/synth/iis-traffic.js';

const SAMPLES_DIR = join(import.meta.dirname, '..', '..', 'samples');
const SAMPLE_OPTIONS: IisFolderOptions = {
  servers: ['EXCH01', 'EXCH02'], days: 2, startDate: '2024-03-11', linesPerServerPerDay: 900, seed: 1, backEnd: true,
};
const SAMPLE_COMMAND =
  'node dist/synth/cli.js samples --servers EXCH01,EXCH02 --days 2 --lines 900 --seed 1 --start 2024-03-11 --back-end';

const tempDirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-census-synth-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

function generated(options: IisFolderOptions): { dir: string; files: string[] } {
  const dir = freshDir();
  const result = generateIisFolder(dir, options);
  return { dir, files: result.files.map((file) => relative(dir, file).split(sep).join('/')).sort() };
}

interface DataLine { readonly file: string; readonly tokens: readonly string[]; readonly fields: readonly string[] }

/** Walks the sample logs the way a W3C parser must: re-binding on every #Fields. */
function sampleDataLines(): DataLine[] {
  const lines: DataLine[] = [];
  for (const file of listFiles(SAMPLES_DIR).filter((f) => f.endsWith('.log'))) {
    let fields: string[] = [];
    for (const text of readFileSync(join(SAMPLES_DIR, file), 'utf8').split('\r\n').slice(0, -1)) {
      if (text.startsWith('#Fields: ')) fields = text.slice('#Fields: '.length).split(' ');
      else if (!text.startsWith('#')) lines.push({ file, tokens: text.split(' '), fields });
    }
  }
  return lines;
}

describe('generateIisFolder', () => {
  it('writes byte-identical folders for the same options', () => {
    const options: IisFolderOptions = { ...SAMPLE_OPTIONS, servers: ['CAS1', 'CAS2', 'CAS3'], linesPerServerPerDay: 400, seed: 7 };
    const first = generated(options);
    const second = generated(options);
    expect(first.files).toEqual(second.files);
    expect(listFiles(first.dir)).toEqual(first.files);
    for (const file of first.files) {
      expect(readFileSync(join(second.dir, file)).equals(readFileSync(join(first.dir, file))), file).toBe(true);
    }
  });

  it('gives a different folder for another seed', () => {
    const a = generated({ ...SAMPLE_OPTIONS, days: 1, linesPerServerPerDay: 50 });
    const b = generated({ ...SAMPLE_OPTIONS, days: 1, linesPerServerPerDay: 50, seed: 2 });
    expect(readFileSync(join(a.dir, a.files[0]), 'utf8')).not.toBe(readFileSync(join(b.dir, b.files[0]), 'utf8'));
  });

  it('makes a day\'s files independent of how many days were asked for', () => {
    const twoDays = generated({ ...SAMPLE_OPTIONS, linesPerServerPerDay: 100 });
    const secondDayOnly = generated({ ...SAMPLE_OPTIONS, linesPerServerPerDay: 100, days: 1, startDate: '2024-03-12' });
    expect(secondDayOnly.files).toEqual(twoDays.files.filter((f) => f.includes('240312')));
    for (const file of secondDayOnly.files) {
      expect(readFileSync(join(secondDayOnly.dir, file)).equals(readFileSync(join(twoDays.dir, file))), file).toBe(true);
    }
  });

  it('counts request lines and bytes', () => {
    const dir = freshDir();
    const result = generateIisFolder(dir, { ...SAMPLE_OPTIONS, days: 1, linesPerServerPerDay: 80 });
    expect(result.lines).toBe(2 * 80 + 2 * 20);
    const bytes = result.files.reduce((sum, file) => sum + readFileSync(file).length, 0);
    expect(result.bytes).toBe(bytes);
  });

  it('rejects options it cannot honour', () => {
    const dir = freshDir();
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, startDate: '2024-02-30' })).toThrow(/startDate/);
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, days: 0 })).toThrow(/days/);
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, servers: [] })).toThrow(/servers/);
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, servers: ['../x'] })).toThrow(/servers/);
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, shape: { clients: 0, agents: 1, spread: 1, share: 1 } })).toThrow(/clients/);
    expect(() => generateIisFolder(dir, { ...SAMPLE_OPTIONS, shape: { clients: 9, agents: 1, spread: 1, share: 1.5 } })).toThrow(/share/);
  });

  it('adds a crowd of internet clients with a shape: its share of the lines, its addresses, its spread of agents', () => {
    const options: IisFolderOptions = { servers: ['EXCH01'], days: 1, startDate: '2024-03-11', linesPerServerPerDay: 4000, seed: 3 };
    const shape = { clients: 500, agents: 40, spread: 3, share: 0.5 };
    const [file] = generateIisFolder(freshDir(), { ...options, shape }).files;
    const data = readFileSync(file, 'utf8').split('\r\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(' '));
    const crowd = data.filter((t) => t[8].startsWith('100.64.'));
    expect(crowd.length / data.length).toBeGreaterThan(0.45);
    expect(crowd.length / data.length).toBeLessThan(0.55);
    expect(new Set(crowd.map((t) => t[8])).size).toBeGreaterThan(400); // 2,000 draws over 500 addresses
    const agents = new Set(crowd.map((t) => t[9]));
    expect(agents.size).toBeGreaterThan(30);
    expect(agents.size).toBeLessThanOrEqual(40);
    // each address keeps to its few combinations: at most `spread` agents
    const perClient = new Map<string, Set<string>>();
    for (const t of crowd) perClient.set(t[8], (perClient.get(t[8]) ?? new Set()).add(t[9]));
    expect(Math.max(...[...perClient.values()].map((a) => a.size))).toBeLessThanOrEqual(3);
  });
});

describe('samples/', () => {
  it('is exactly what the documented command generates', () => {
    expect(readFileSync(join(SAMPLES_DIR, 'README.md'), 'utf8')).toContain(SAMPLE_COMMAND);
    const fresh = generated(SAMPLE_OPTIONS);
    const bundled = listFiles(SAMPLES_DIR).filter((f) => SAMPLE_OPTIONS.servers.some((s) => f.startsWith(`${s}/`)));
    expect(bundled).toEqual(fresh.files);
    for (const file of fresh.files) {
      expect(readFileSync(join(SAMPLES_DIR, file)).equals(readFileSync(join(fresh.dir, file))), file).toBe(true);
    }
  });

  it('has as many tokens on every data line as its #Fields line names', () => {
    const lines = sampleDataLines();
    expect(lines.length).toBe(4500);
    const bad = lines.filter((line) => line.fields.length === 0 || line.tokens.length !== line.fields.length);
    expect(bad).toEqual([]);
  });

  it('keeps timestamps ascending within each file and each #Date at the next request', () => {
    for (const file of listFiles(SAMPLES_DIR).filter((f) => f.endsWith('.log'))) {
      const lines = readFileSync(join(SAMPLES_DIR, file), 'utf8').split('\r\n');
      let previous = '';
      lines.forEach((text, i) => {
        if (text.startsWith('#Date: ')) expect(lines[i + 2].startsWith(text.slice(7)), `${file}:${i + 1}`).toBe(true);
        if (text === '' || text.startsWith('#')) return;
        const stamp = text.slice(0, 19);
        expect(stamp >= previous, `${file}:${i + 1}`).toBe(true);
        previous = stamp;
      });
    }
  });

  it('re-binds mid-file: one restart per day adds OriginalClientIP, some rows carry an address', () => {
    const lines = sampleDataLines().filter((l) => l.fields.at(-1) === 'OriginalClientIP');
    expect(new Set(lines.map((l) => l.file))).toEqual(
      new Set(['EXCH02/W3SVC1/u_ex240311_x.log', 'EXCH01/W3SVC1/u_ex240312_x.log']),
    );
    expect(lines.some((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l.tokens.at(-1) ?? ''))).toBe(true);
  });

  it('mixes every protocol code, mostly TLS 1.2+, some plain HTTP on port 80', () => {
    const frontEnd = sampleDataLines().filter((l) => l.file.includes('/W3SVC1/'));
    const protocolOf = (l: DataLine): string => l.tokens[l.fields.indexOf('crypt-protocol')];
    const counts = new Map<string, number>();
    for (const line of frontEnd) counts.set(protocolOf(line), (counts.get(protocolOf(line)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['-', '10', '100', '1000', '40', '400']);
    const share = (...codes: string[]): number => codes.reduce((n, c) => n + (counts.get(c) ?? 0), 0) / frontEnd.length;
    expect(share('400', '1000')).toBeGreaterThan(0.85);
    expect(share('40', '100', '10')).toBeGreaterThan(0.03);
    expect(share('-')).toBeGreaterThan(0.01);
    const port = (l: DataLine): string => l.tokens[l.fields.indexOf('s-port')];
    expect(frontEnd.every((l) => (protocolOf(l) === '-') === (port(l) === '80'))).toBe(true);
  });
});
