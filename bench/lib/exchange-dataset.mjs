// Generates a synthetic Exchange protocol log folder once (with the built dist/synth generator) and reuses it while
// the options and the generator build are unchanged; the manifest sits next to the folder, never inside it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Generates the folder with the built generator once; reused while the options and the generator are unchanged. */
export async function ensureExchangeDataset(ctx, options) {
  const distDir = join(ctx.root, 'dist', 'synth');
  if (!existsSync(join(distDir, 'exchange-traffic.js'))) throw new Error('dist/synth is missing: run `npm run build` first');
  const dir = join(ctx.workDir, `exchange-${options.servers.length}srv-${options.hours}h-${options.smtpPerHour}-${options.popImapPerHour}-seed${options.seed}`);
  const manifestPath = `${dir}.manifest.json`;
  const hash = createHash('sha256');
  for (const f of readdirSync(distDir).filter((n) => n.endsWith('.js')).sort()) hash.update(f).update(readFileSync(join(distDir, f)));
  const wanted = { options, generator: hash.digest('hex').slice(0, 16) };
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (JSON.stringify(m.wanted) === JSON.stringify(wanted) && m.files.every((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.bytes)) {
      ctx.log(`reusing ${dir}`);
      return { ...m, dir, files: m.files.map((f) => join(dir, f.path)) };
    }
  } catch {
    // no manifest yet: generate
  }
  rmSync(manifestPath, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ctx.log(`generating ${dir} …`);
  const { generateExchangeFolder } = await import(pathToFileURL(join(distDir, 'exchange-traffic.js')).href);
  const r = generateExchangeFolder(dir, options);
  const files = r.files.map((f) => ({ path: relative(dir, f), bytes: statSync(f).size }));
  writeFileSync(manifestPath, `${JSON.stringify({ wanted, sessions: r.sessions, lines: r.lines, bytes: r.bytes, files }, null, 2)}\n`);
  return { dir, files: r.files, sessions: r.sessions, lines: r.lines, bytes: r.bytes };
}

