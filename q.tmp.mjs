import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
const t = (label, sql) => { const s = performance.now(); const r = db.prepare(sql).all(); console.log(label, (performance.now() - s).toFixed(0), 'ms', r.length); };
const asText = (c) => `(CASE WHEN typeof(${c}) = 'integer' THEN day || 'T' || time(${c}, 'unixepoch') || 'Z' ELSE ${c} END)`;
for (let i = 0; i < 2; i++) {
t('sum only', 'SELECT key_id, sum(hits) FROM usage_rows GROUP BY key_id');
t('sum + asText min/max', `SELECT key_id, sum(hits), min(${asText('first_seen')}), max(${asText('last_seen')}) FROM usage_rows GROUP BY key_id`);
t('sum + split min/max', `SELECT key_id, sum(hits), min(CASE WHEN typeof(first_seen) = 'integer' THEN day || first_seen + 100000 END), min(CASE WHEN typeof(first_seen) <> 'integer' THEN first_seen END), max(CASE WHEN typeof(last_seen) = 'integer' THEN day || last_seen + 100000 END), max(CASE WHEN typeof(last_seen) <> 'integer' THEN last_seen END) FROM usage_rows GROUP BY key_id`);
t('sum + (day,sec) min via integer', `SELECT key_id, sum(hits), min(CASE WHEN typeof(first_seen) = 'integer' THEN unixepoch(day) + first_seen END) FROM usage_rows GROUP BY key_id`);
}
