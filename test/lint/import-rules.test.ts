// The import rules of `npm run lint` fail where they should: a layer breach (docs/ARCHITECTURE.md), a runtime import
// cycle (eslint import-x), a type-only cycle (madge, `npm run cycles`); and src/ as it is has neither.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error madge ships no type declarations
import madge from 'madge';
// @ts-expect-error a plain ES module of the build scripts, without types
import { LAYERS } from '../../scripts/layers.mjs';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('import rules', () => {
  it('refuse a layer breach: the store importing the engine', async () => {
    const text = readFileSync(join(ROOT, 'src/store/meta.ts'), 'utf8') + `\nexport { scan } from '../engine/scan.js';\n`;
    expect(await ruleIds('src/store/meta.ts', text)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds('src/store/meta.ts', readFileSync(join(ROOT, 'src/store/meta.ts'), 'utf8'))).toEqual([]);
  }, 60_000);

  it('refuse a runtime import cycle', async () => {
    const text = readFileSync(join(ROOT, 'src/tls/tables.ts'), 'utf8') + `\nexport { decodeProtocolHex } from './decode.js';\n`;
    expect(await ruleIds('src/tls/tables.ts', text)).toContain('import-x/no-cycle');
  }, 60_000);

  /** The cycles madge finds under `dir`, with the options of `npm run cycles`. */
  const madgeCycles = async (dir: string, tsConfig: string): Promise<string[][]> =>
    (await madge(dir, { fileExtensions: ['ts', 'mts'], tsConfig })).circular();

  it('count type-only imports in cycles, and find none in src/', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    writeFileSync(join(dir, 'a', 'one.ts'), `import type { Two } from '../two.js';\nexport interface One { two: Two }\n`);
    writeFileSync(join(dir, 'two.ts'), `import type {\n  One,\n} from './a/one.js';\nexport interface Two { one: One }\n`);
    writeFileSync(join(dir, 'three.ts'), `import type { One } from './a/one.js';\nexport type Three = One;\n`);
    expect(await madgeCycles(dir, join(dir, 'tsconfig.json'))).toEqual([['a/one.ts', 'two.ts']]);
    expect(await madgeCycles(join(ROOT, 'src'), join(ROOT, 'tsconfig.json'))).toEqual([]);
  }, 60_000);

  it('are the layers docs/ARCHITECTURE.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `src\/(\w+)\/` \| ([^|]*) \|/gm)].map((m) => [
      m[1],
      m[2].trim() === '—' ? [] : [...m[2].matchAll(/`(\w+)`/g)].map((x) => x[1]),
    ]);
    expect(Object.fromEntries(rows)).toEqual(LAYERS);
  });
});
