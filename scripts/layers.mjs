// The layers of src/: each folder and the folders it may import (besides itself and the root files errors.ts and
// bundle-info.ts). Read by eslint.config.js (import-x/no-restricted-paths) and checked against docs/ARCHITECTURE.md.
// Data flows one way: sources → formats → aggregate → store → report; cli wires everything.

export const LAYERS = {
  tls: [],
  clients: ['tls'],
  aggregate: ['tls'],
  sources: [],
  formats: ['aggregate', 'sources', 'tls'],
  store: ['aggregate', 'clients', 'tls'],
  exceptions: ['store'],
  engine: ['aggregate', 'clients', 'formats', 'sources', 'store', 'tls'],
  report: ['aggregate', 'clients', 'exceptions', 'store', 'tls'],
  export: ['aggregate', 'report', 'store', 'tls'],
  merge: ['aggregate', 'store', 'tls'],
  synth: [],
  cli: ['aggregate', 'clients', 'engine', 'exceptions', 'export', 'formats', 'merge', 'report', 'sources', 'store', 'tls'],
};

/** import-x/no-restricted-paths zones: per folder, every other folder it may not import. */
export function layerZones(root = './src') {
  const folders = Object.keys(LAYERS);
  return Object.entries(LAYERS).flatMap(([layer, allowed]) => {
    const from = folders.filter((f) => f !== layer && !allowed.includes(f)).map((f) => `${root}/${f}`);
    const may = allowed.length > 0 ? allowed.join(', ') : 'no other folder';
    return from.length === 0 ? [] : [{ target: `${root}/${layer}`, from, message: `src/${layer} may import ${may} (docs/ARCHITECTURE.md)` }];
  });
}
