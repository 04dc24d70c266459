// The static parts of the HTML report: its stylesheet and its page script (charts, table sort and filter).
// Neither holds data: the script reads the JSON block by id and touches the page through textContent only.

export const HTML_STYLE = `
:root { --fg: #1d232a; --muted: #5b6670; --line: #d9dee3; --yes: #1b7f3b; --no: #b3261e; --unknown: #8a6d00; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p.meta, p.note { color: var(--muted); margin: 4px 0; }
.verdicts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.verdict { display: flex; gap: 12px; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 10px 12px; }
.verdict.yes { border-left-color: var(--yes); } .verdict.no { border-left-color: var(--no); } .verdict.unknown { border-left-color: var(--unknown); }
.badge { font-weight: 700; font-size: 16px; min-width: 44px; }
.yes .badge { color: var(--yes); } .no .badge { color: var(--no); } .unknown .badge { color: var(--unknown); }
.verdict .where { font-weight: 600; word-break: break-all; }
.verdict .evidence { color: var(--muted); margin: 2px 0 0; }
.verdict.machine { grid-column: 1 / -1; }
ul.sources { margin: 6px 0 0; padding-left: 18px; color: var(--muted); }
b.yes { color: var(--yes); } b.no { color: var(--no); } b.unknown { color: var(--unknown); }
.chart { position: relative; height: 320px; max-width: 1100px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ua { min-width: 240px; max-width: 420px; overflow-wrap: anywhere; }
td.hint { min-width: 200px; } td.date { white-space: nowrap; }
td.agents { min-width: 360px; max-width: 640px; } td.agents ul { margin: 0; padding-left: 16px; }
.plan { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px 8px; margin: 8px 0; }
.plan.yes { border-left: 6px solid var(--yes); } .plan.no { border-left: 6px solid var(--no); } .plan.unknown { border-left: 6px solid var(--unknown); }
.plan h4 { margin: 10px 0 2px; font-size: 14px; } ul.tasks { list-style: none; padding-left: 8px; }
.plan .hint, .plan .who { color: var(--muted); margin-left: 22px; } .plan .owner { display: inline-block; min-width: 120px; border-bottom: 1px solid var(--line); }
td.agents .ua { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.wide { overflow-x: auto; }
h3 { font-size: 15px; margin: 16px 0 4px; }
th.sortable { cursor: pointer; user-select: none; white-space: nowrap; }
th.sortable[data-dir="asc"]::after { content: " \\25B2"; } th.sortable[data-dir="desc"]::after { content: " \\25BC"; }
tr.noise td { color: var(--muted); } tr.excepted td { background: #fffbe6; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eef1f4; font-size: 12px; }
.tag.no { background: #fbe3e1; color: var(--no); } .tag.yes { background: #e1f3e6; color: var(--yes); }
.controls { display: flex; gap: 16px; align-items: center; margin: 8px 0; }
.controls input[type="search"] { width: 320px; padding: 4px 8px; font: inherit; }
.warning { border: 1px solid #e0c060; background: #fff8e1; padding: 8px 12px; border-radius: 6px; }
pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #f5f7f9; padding: 8px; }
`;

export const HTML_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var COLORS = { 'SSL 2.0': '#6d0000', 'SSL 3.0': '#a31515', 'TLS 1.0': '#e53935', 'TLS 1.1': '#fb8c00',
    'TLS 1.2': '#43a047', 'TLS 1.3': '#1e88e5', 'none': '#9e9e9e', 'failed': '#6d4c41', 'unknown': '#c7c7c7',
    'TLS 1.0/1.1 or 3DES': '#d81b60', 'TLS 1.2+': '#00897b' };
  var color = function (p) { return COLORS[p] || '#7b8794'; };
  /* Horizontal bar charts grow with their rows. */
  var fit = function (canvas, rows) { canvas.parentNode.style.height = Math.max(160, 60 + rows * 30) + 'px'; };
  if (typeof Chart === 'function') {
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    var daily = document.getElementById('daily-chart');
    if (daily && data.daily.days.length > 0) {
      var sets = data.daily.protocols.map(function (p) {
        return { type: 'bar', label: p, data: data.daily.hits[p], backgroundColor: color(p), stack: 'hits', yAxisID: 'y', order: 2 };
      });
      sets.push({ type: 'line', label: 'legacy share (%)', data: data.daily.legacyShare, borderColor: '#222', backgroundColor: '#222',
        yAxisID: 'share', order: 1, pointRadius: 2 });
      sets.push({ type: 'line', label: 'legacy people/devices', data: data.daily.people, borderColor: '#b3261e',
        backgroundColor: '#b3261e', borderDash: [6, 3], yAxisID: 'people', order: 0, pointRadius: 2 });
      new Chart(daily, { data: { labels: data.daily.days, datasets: sets }, options: { scales: {
        x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'hits' } },
        people: { position: 'left', min: 0, grid: { drawOnChartArea: false }, title: { display: true, text: 'people/devices' } },
        share: { position: 'right', min: 0, suggestedMax: 10, grid: { drawOnChartArea: false }, title: { display: true, text: 'legacy %' } } } } });
    }
    var ep = document.getElementById('endpoint-chart');
    if (ep && data.endpoints.labels.length > 0) {
      fit(ep, data.endpoints.labels.length);
      new Chart(ep, { type: 'bar', data: { labels: data.endpoints.labels, datasets: data.endpoints.protocols.map(function (p) {
        return { label: p, data: data.endpoints.hits[p], backgroundColor: color(p), maxBarThickness: 24 };
      }) }, options: { indexAxis: 'y', scales: { x: { stacked: true, title: { display: true, text: 'legacy hits' } }, y: { stacked: true } } } });
    }
    var sites = document.getElementById('site-chart');
    if (sites && data.sites.labels.length > 0) {
      fit(sites, data.sites.labels.length);
      var nonZero = function (xs) { return xs.some(function (x) { return x > 0; }); };
      var parts = [['legacy hits from clients', data.sites.real, '#e53935'],
        ['legacy hits from known exceptions', data.sites.excepted, '#f6c343'], ['legacy hits from noise', data.sites.noise, '#c7c7c7']];
      new Chart(sites, { type: 'bar', data: { labels: data.sites.labels, datasets: parts.filter(function (p) { return nonZero(p[1]); })
        .map(function (p) { return { label: p[0], data: p[1], backgroundColor: p[2], maxBarThickness: 24 }; }) },
        options: { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } } } });
    }
  }
  var table = document.getElementById('client-table');
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var query = document.getElementById('client-filter');
    var hideNoise = document.getElementById('hide-noise');
    var shown = document.getElementById('client-count');
    var apply = function () {
      var q = query.value.trim().toLowerCase();
      var n = 0;
      rows.forEach(function (r) {
        var show = (!hideNoise.checked || !r.classList.contains('noise')) && (q === '' || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !show;
        if (show) n++;
      });
      shown.textContent = n + ' of ' + rows.length + ' shown';
    };
    query.addEventListener('input', apply);
    hideNoise.addEventListener('change', apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener('click', function () {
        var dir = th.getAttribute('data-dir') === 'desc' ? 'asc' : 'desc';
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', dir);
        var numeric = th.classList.contains('n');
        var key = function (r) { var c = r.cells[col]; return numeric ? Number(c.getAttribute('data-v')) : c.textContent.toLowerCase(); };
        rows.sort(function (a, b) { var x = key(a), y = key(b); var d = x < y ? -1 : x > y ? 1 : 0; return dir === 'asc' ? d : -d; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    apply();
  }
  document.body.setAttribute('data-ready', 'yes');
})();
`;
