// Generates a synthetic IIS log folder once (with the built dist/synth generator) and reuses it while the options
// and the generator build are unchanged. The manifest sits next to the folder, never inside it, so scans don't see it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Returns { dir, files (absolute), lines, bytes }; `options` are IisFolderOptions (src/synth/iis-traffic.ts). */
export async function ensureIisDataset({ root, workDir, log }, options) {
  const distDir = join(root, 'dist', 'synth');
  if (!existsSync(join(distDir, 'iis-traffic.js'))) throw new Error('dist/synth is missing: run `npm run build` first');
  const name = `iis-${options.servers.length}srv-${options.startDate}-${options.days}d-${options.linesPerServerPerDay}l` +
    `-seed${options.seed}${options.backEnd ? '-be' : ''}${shapeName(options.shape)}`;
  const dir = join(workDir, name);
  const manifestPath = `${dir}.manifest.json`;
  const wanted = { options, generator: fingerprint(distDir) };
  const manifest = readManifest(manifestPath);
  if (manifest && JSON.stringify(manifest.wanted) === JSON.stringify(wanted) && intact(dir, manifest.files)) {
    log(`reusing ${dir}`);
    return { dir, files: manifest.files.map((f) => join(dir, f.path)), lines: manifest.lines, bytes: manifest.bytes };
  }
  rmSync(manifestPath, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating ${dir} …`);
  const { generateIisFolder } = await import(pathToFileURL(join(distDir, 'iis-traffic.js')).href);
  const result = generateIisFolder(dir, options);
  const files = result.files.map((file) => ({ path: relative(dir, file), bytes: statSync(file).size }));
  // Written last: an interrupted generation leaves no manifest and is redone next time
  writeFileSync(manifestPath, `${JSON.stringify({ wanted, lines: result.lines, bytes: result.bytes, files }, null, 2)}\n`);
  return { dir, files: result.files, lines: result.lines, bytes: result.bytes };
}

function shapeName(shape) {
  return shape ? `-c${shape.clients}a${shape.agents}s${shape.spread}x${shape.share}` : '';
}

/** sha256 of the built generator, so a changed generator never reuses an old folder. */
function fingerprint(distDir) {
  const hash = createHash('sha256');
  for (const file of readdirSync(distDir).filter((f) => f.endsWith('.js')).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(distDir, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function intact(dir, files) {
  return Array.isArray(files) && files.every((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.bytes);
}
