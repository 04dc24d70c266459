// Draws the key-cardinality sweep as one SVG (two panels: lines/s and peak RSS against distinct usage rows, log x),
// with no dependency. It draws what it is given; it measures nothing.

const W = 420;
const H = 260;
const PAD = { left: 64, right: 16, top: 28, bottom: 44 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const si = (n) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : `${+n.toFixed(0)}`);

/**
 * `series`: [{ name, points: [{ x, y }] }]; x on a log scale, y linear from 0. Returns the <g> of one panel,
 * translated by `dx`.
 */
function panel(title, yLabel, series, dx) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const lo = Math.log10(Math.min(...xs)) - 0.1;
  const hi = Math.log10(Math.max(...xs)) + 0.1;
  const top = Math.max(...ys) * 1.1 || 1;
  const px = (x) => PAD.left + ((Math.log10(x) - lo) / (hi - lo)) * (W - PAD.left - PAD.right);
  const py = (y) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom);
  const out = [`<g transform="translate(${dx},0)">`, `<text x="${W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  out.push(`<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#333"/>`);
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    const x = px(10 ** e);
    out.push(`<line x1="${x}" y1="${H - PAD.bottom}" x2="${x}" y2="${H - PAD.bottom + 4}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${H - PAD.bottom + 16}" text-anchor="middle">${si(10 ** e)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = (top / 1.1) * (i / 4);
    out.push(`<text x="${PAD.left - 6}" y="${py(v) + 4}" text-anchor="end">${si(v)}</text>`);
    out.push(`<line x1="${PAD.left}" y1="${py(v)}" x2="${W - PAD.right}" y2="${py(v)}" stroke="#ddd"/>`);
  }
  out.push(`<text x="${(W + PAD.left) / 2}" y="${H - 8}" text-anchor="middle">distinct usage rows (log)</text>`);
  out.push(`<text transform="translate(14,${H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, k) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const color = COLORS[k % COLORS.length];
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${color}"/>`);
    out.push(`<rect x="${PAD.left + 8}" y="${PAD.top + 4 + 16 * k}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${PAD.left + 22}" y="${PAD.top + 13 + 16 * k}">${esc(s.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** `speed` and `rss`: series as panel() takes them; `caption`: one line under the panels. */
export function sweepChart({ speed, rss, caption }) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel('Lines per second', 'lines/s (median)', speed, 0),
    panel('Peak RSS', 'MB (median)', rss, W),
    `<text x="8" y="${H + 16}" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
