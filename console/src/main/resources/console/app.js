// Quintet console: plain JavaScript over the JSON API (docs/console.md). Every value is written with textContent.
'use strict';

const pages = ['live', 'dead-letters', 'metrics', 'alerts', 'feeds', 'pipeline'];
const state = { page: null, timer: null, livePaused: false, expanded: new Set(), charts: {} };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

async function api(path, options) {
  const r = await fetch(path, Object.assign({ credentials: 'same-origin' }, options));
  if (r.status === 401) { location.href = '/login'; throw new Error('not logged in'); }
  const body = await r.json();
  if (!r.ok) throw new Error((body.error || r.status) + (body.where ? ' (' + body.where + ')' : ''));
  return body;
}

function setStatus(text) { document.getElementById('status').textContent = text; }

function show(page) {
  if (!pages.includes(page)) page = 'live';
  state.page = page;
  for (const p of pages) document.getElementById('page-' + p).classList.toggle('active', p === page);
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === page);
  if (state.timer) clearInterval(state.timer);
  const refresh = { live: refreshLive, 'dead-letters': refreshDeadLetters, metrics: refreshMetrics, alerts: refreshAlerts,
    feeds: refreshFeeds, pipeline: refreshPipeline }[page];
  const every = { live: 1000, 'dead-letters': 2000, metrics: 5000, alerts: 2000, feeds: 5000, pipeline: 3000 }[page];
  const run = () => refresh().then(() => setStatus('updated ' + new Date().toLocaleTimeString()))
    .catch(e => setStatus('error: ' + e.message));
  run();
  state.timer = setInterval(run, every);
}

// ---- live events
function liveQuery() {
  const q = new URLSearchParams();
  for (const f of ['action', 'source', 'actor']) {
    const v = document.getElementById('live-' + f).value.trim();
    if (v) q.set(f, v);
  }
  q.set('limit', '200');
  return q.toString();
}

async function refreshLive() {
  if (state.livePaused) return;
  const err = document.getElementById('live-error');
  let body;
  try { body = await api('/api/events?' + liveQuery()); err.textContent = ''; }
  catch (e) { err.textContent = e.message; return; }
  document.getElementById('live-count').textContent = body.events.length + ' shown, ' + body.received + ' read';
  const tbody = clear(document.querySelector('#live-table tbody'));
  for (const ev of body.events) {
    const key = ev.partition + '@' + ev.offset;
    const row = el('tr', { class: 'event', 'data-id': ev.id || '' },
      el('td', {}, ev.event_time || ev.record_time), el('td', {}, ev.action || ev.decode_error || ''),
      el('td', {}, ev.source || ''), el('td', {}, ev.actor || ''), el('td', {}, ev.id || ''), el('td', {}, key));
    row.addEventListener('click', () => {
      if (state.expanded.has(key)) state.expanded.delete(key); else state.expanded.add(key);
      refreshLive();
    });
    tbody.appendChild(row);
    if (state.expanded.has(key)) {
      tbody.appendChild(el('tr', { class: 'detail' }, el('td', { colSpan: 6 },
        el('h3', {}, 'Canonical JSON'), el('pre', { class: 'canonical' }, JSON.stringify(ev.canonical, null, 2)),
        el('h3', {}, 'CloudEvent headers'), el('pre', { class: 'headers' }, JSON.stringify(ev.headers, null, 2)))));
    }
  }
}

// ---- dead letters
function countsTable(id, counts) {
  const tbody = clear(document.querySelector('#' + id + ' tbody'));
  for (const [k, v] of Object.entries(counts)) tbody.appendChild(el('tr', {}, el('td', {}, k), el('td', {}, v)));
}

const palette = ['#2f6fde', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#1098ad', '#c2255c', '#5f3dc4', '#66a80f', '#495057'];

function drawChart(name, container, xs, seriesByLabel, height) {
  const node = document.getElementById(container);
  if (typeof uPlot === 'undefined') { node.textContent = 'chart library not loaded'; return; }
  const labels = Object.keys(seriesByLabel);
  const data = [xs, ...labels.map(l => seriesByLabel[l])];
  const opts = {
    width: Math.max(300, node.clientWidth || 800), height: height || 220,
    series: [{}, ...labels.map((l, i) => ({ label: l, stroke: palette[i % palette.length], width: 2, spanGaps: true }))],
    axes: [{}, {}], scales: { x: { time: true } },
  };
  if (state.charts[name]) state.charts[name].destroy();
  clear(node);
  if (xs.length === 0) { node.textContent = 'no data yet'; state.charts[name] = null; return; }
  state.charts[name] = new uPlot(opts, data, node);
}

async function refreshDeadLetters() {
  const body = await api('/api/dead-letters?limit=200');
  countsTable('dlq-reasons', body.counts.by_reason);
  countsTable('dlq-sources', body.counts.by_source);
  const minutes = body.counts.per_minute;
  const reasons = [...new Set(minutes.flatMap(m => Object.keys(m.reasons)))];
  const xs = minutes.map(m => Date.parse(m.minute) / 1000);
  const ys = {};
  for (const r of reasons) ys[r] = minutes.map(m => m.reasons[r] || 0);
  drawChart('dlq', 'dlq-chart', xs, ys, 180);
  document.getElementById('dlq-replay').disabled = !body.replay_enabled || !state.replayAllowed;
  document.getElementById('dlq-replay').title = state.replayAllowed ? '' : 'needs an API key with the scope console:replay';
  const checked = new Set([...document.querySelectorAll('#dlq-table input:checked')].map(c => c.value));
  const tbody = clear(document.querySelector('#dlq-table tbody'));
  for (const d of body.entries) {
    const key = d.dlq_partition + '@' + d.dlq_offset;
    const box = el('input', { type: 'checkbox', value: key, checked: checked.has(key) });
    const src = d.source.topic ? d.source.topic + '-' + d.source.partition + '@' + d.source.offset : '';
    tbody.appendChild(el('tr', { class: 'dead-letter', 'data-reason': d.reason },
      el('td', {}, box), el('td', {}, d.dead_lettered_at), el('td', {}, d.reason), el('td', {}, d.cause || ''),
      el('td', {}, d.pointers.join(', ')), el('td', {}, src), el('td', {}, d.event_id || ''),
      el('td', {}, d.event_source || ''), el('td', {}, key)));
  }
}

async function replaySelected() {
  const entries = [...document.querySelectorAll('#dlq-table input:checked')].map(c => {
    const [p, o] = c.value.split('@');
    return { partition: Number(p), offset: Number(o) };
  });
  const out = document.getElementById('dlq-replay-result');
  if (entries.length === 0) { out.textContent = 'select dead letters first'; return; }
  out.textContent = 'replaying ' + entries.length + '...';
  try {
    const body = await api('/api/dead-letters/replay', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entries }) });
    out.textContent = body.replayed + ' re-published to ' + body.topic + ', ' + body.skipped + ' skipped: '
      + body.results.map(r => 'dlq ' + r.partition + '@' + r.offset + ' ' + r.result + ' (' + r.detail + ')').join('; ');
    for (const c of document.querySelectorAll('#dlq-table input:checked')) c.checked = false;
  } catch (e) { out.textContent = 'replay failed: ' + e.message; }
}

// ---- metrics
async function refreshMetrics() {
  const w = document.getElementById('metrics-window').value;
  const d = document.getElementById('metrics-dimension').value;
  const body = await api('/api/metrics?window=' + w + '&dimension=' + d);
  const err = document.getElementById('metrics-error');
  const current = (body.current && body.current.body && body.current.body.series) || [];
  err.textContent = body.current && body.current.status !== 200
    ? 'open window: feed-aggregator answered ' + body.current.status + (body.current.error ? ' ' + body.current.error : '') : '';
  // closed windows plus the open one, per series
  const bySeries = {};
  for (const s of body.series) bySeries[s.value] = [...s.points];
  for (const c of current) (bySeries[c.value] = bySeries[c.value] || []).push(c);
  const starts = [...new Set(Object.values(bySeries).flat().map(p => p.window_start))].sort();
  const xs = starts.map(s => Date.parse(s) / 1000);
  const counts = {}, failures = {};
  for (const [value, points] of Object.entries(bySeries)) {
    const at = Object.fromEntries(points.map(p => [p.window_start, p]));
    counts[value] = starts.map(s => at[s] ? at[s].count : null);
    failures[value] = starts.map(s => at[s] ? at[s].failure_rate : null);
  }
  drawChart('metrics', 'metrics-chart', xs, counts);
  drawChart('metrics-failures', 'metrics-failure-chart', xs, failures, 160);
  const tbody = clear(document.querySelector('#metrics-table tbody'));
  for (const c of current) {
    const dur = c.duration_ms || {};
    tbody.appendChild(el('tr', { 'data-series': c.value }, el('td', {}, c.value), el('td', {}, c.window_start),
      el('td', {}, c.count), el('td', {}, (c.failure_rate * 100).toFixed(1) + ' %'), el('td', {}, c.distinct_actors),
      el('td', {}, dur.p50 ?? ''), el('td', {}, dur.p95 ?? ''), el('td', {}, dur.p99 ?? ''),
      el('td', {}, c.measures ? JSON.stringify(c.measures) : '')));
  }
}

// ---- alerts
function alertCells(a) {
  const w = a.window || {};
  const observed = a.observed || {};
  const threshold = a.threshold || {};
  return [el('td', {}, a.rule_id || ''), el('td', { class: 'sev-' + a.severity }, a.severity || ''),
    el('td', {}, (a.group_by || '') + ' ' + (a.group || '')), el('td', {}, (w.start || '') + ' .. ' + (w.end || '')),
    el('td', {}, observed.value !== undefined ? String(observed.value) + ' (' + (observed.count ?? '?') + ' events)' : ''),
    el('td', {}, (threshold.kind || '') + ' ' + (threshold.comparison || '') + ' ' + (threshold.value ?? '')),
    el('td', {}, el('pre', {}, a.warm_store_query || ''),
      el('span', { class: 'muted' }, (a.contributing_event_ids || []).length + ' newest contributing event ids: '
        + (a.contributing_event_ids || []).join(', ')))];
}

async function refreshAlerts() {
  const body = await api('/api/alerts?limit=100');
  const active = clear(document.querySelector('#alerts-active tbody'));
  for (const a of body.active) active.appendChild(el('tr', { class: 'alert', 'data-rule': a.rule_id || '' }, ...alertCells(a)));
  const recent = clear(document.querySelector('#alerts-recent tbody'));
  for (const a of body.recent) {
    recent.appendChild(el('tr', { class: 'alert', 'data-rule': a.rule_id || '' }, el('td', {}, a.time || ''),
      el('td', {}, a.state + (a.reason ? ' (' + a.reason + ')' : '')), ...alertCells(a)));
  }
}

// ---- feeds
async function refreshFeeds() {
  const reader = document.getElementById('feeds-reader').value.trim();
  const err = document.getElementById('feeds-error');
  if (!reader) { err.textContent = 'enter a reader (a pseudonym from the live view)'; return; }
  err.textContent = '';
  for (const kind of ['notifications', 'aggregated', 'flat']) {
    const body = await api('/api/feeds/' + kind + '/' + encodeURIComponent(reader) + '?limit=50');
    const list = clear(document.getElementById('feed-' + kind));
    const f = body.feed;
    if (f.status !== 200) { list.appendChild(el('li', {}, 'feed-aggregator answered ' + f.status + ' ' + (f.error || ''))); continue; }
    if (kind === 'notifications') {
      document.getElementById('feeds-counts').textContent = 'unseen: ' + f.body.unseen + ', unread: ' + f.body.unread;
    }
    for (const it of f.body.items || []) {
      const item = it.item || it;
      const who = item.actor_count ? item.actor_count + ' actors' : (item.actor || (item.actors || []).join(', '));
      list.appendChild(el('li', { class: item.read === false ? 'unread' : '' },
        (item.time || '') + '  ' + (item.verb || item.action || '') + '  ' + who +
        (item.object ? '  ' + item.object.type + ' ' + item.object.id : '') +
        (item.seen === false ? '  (unseen)' : '')));
    }
  }
}

// ---- pipeline
async function refreshPipeline() {
  const body = await api('/api/pipeline');
  const services = clear(document.querySelector('#pipeline-services tbody'));
  for (const s of body.services) {
    services.appendChild(el('tr', { 'data-service': s.name }, el('td', {}, s.name),
      el('td', { class: s.up ? 'up' : 'down' }, s.up ? 'up (' + s.status + ')' : 'down (' + s.status + ')'),
      el('td', {}, s.url), el('td', {}, s.detail || '')));
  }
  const topics = clear(document.querySelector('#pipeline-topics tbody'));
  for (const t of body.topics || []) {
    topics.appendChild(el('tr', {}, el('td', {}, t.topic), el('td', {}, t.end_offset ?? 'missing'),
      el('td', {}, t.records_per_second ?? '...'), el('td', {}, t.records_per_second_1m ?? '')));
  }
  const groups = clear(document.querySelector('#pipeline-groups tbody'));
  for (const g of body.consumer_groups || []) {
    groups.appendChild(el('tr', { 'data-group': g.group }, el('td', {}, g.group), el('td', {}, g.state),
      el('td', {}, g.members ?? ''), el('td', {}, g.lag ?? ''), el('td', {}, g.lag_by_topic ? JSON.stringify(g.lag_by_topic) : (g.error || ''))));
  }
  showAudit(body.audit);
  document.getElementById('pipeline-console').textContent = body.broker.reachable
    ? 'console read ' + body.console.events_read + ' canonical events and ' + body.console.dead_letters_read + ' dead letters'
    : 'broker unreachable: ' + body.broker.error;
}

function showAudit(a) {
  const verdict = document.getElementById('audit-verdict');
  verdict.textContent = a.verdict;
  verdict.className = 'verdict ' + a.verdict;
  let summary;
  if (!a.configured) summary = 'not configured: ' + a.reason;
  else if (a.verdict === 'PENDING') summary = 'first verification running...';
  else if (a.verdict === 'ERROR') summary = 'the last verification failed at ' + a.verified_at + ': ' + a.error;
  else summary = a.events + ' events in ' + a.partitions + ' partitions, ' + a.hmac_checked_events + ' HMAC-checked, '
    + a.checkpoints_matched + ' signed checkpoints matched; verified ' + a.verified_at + ' (' + a.duration_ms + ' ms)'
    + (a.problems ? '; ' + a.problems + ' problem(s)' : '');
  if (a.running && a.verdict !== 'PENDING') summary += ' (verifying again...)';
  if ((a.notes || []).length) summary += '. Notes: ' + a.notes.join('; ');
  document.getElementById('audit-summary').textContent = summary;
  document.getElementById('audit-verify').disabled = !a.configured || a.running;
  const table = document.getElementById('audit-findings');
  const tbody = clear(table.querySelector('tbody'));
  for (const f of a.findings || []) {
    tbody.appendChild(el('tr', {}, el('td', {}, f.kind), el('td', {}, f.partition), el('td', {}, f.seq ?? ''),
      el('td', {}, f.where || ''), el('td', {}, f.message)));
  }
  table.classList.toggle('shown', (a.findings || []).length > 0);
}

async function verifyAudit() {
  try { showAudit(await api('/api/audit/verify', { method: 'POST' })); } catch (e) { setStatus('error: ' + e.message); }
}

async function loadSession() {
  const s = await api('/api/session');
  state.replayAllowed = s.replay_allowed;
  document.getElementById('session').textContent = s.auth_enabled
    ? 'key ' + s.key_id + ' (' + s.scopes.join(', ') + ')' : 'no login (auth.enabled=false)';
  document.getElementById('logout-form').style.display = s.auth_enabled ? '' : 'none';
}

document.getElementById('audit-verify').addEventListener('click', verifyAudit);
document.getElementById('live-filter').addEventListener('submit', e => { e.preventDefault(); state.expanded.clear(); refreshLive(); });
document.getElementById('live-pause').addEventListener('click', e => {
  state.livePaused = !state.livePaused;
  e.target.textContent = state.livePaused ? 'Resume' : 'Pause';
});
document.getElementById('dlq-replay').addEventListener('click', replaySelected);
document.getElementById('metrics-form').addEventListener('change', () => refreshMetrics());
document.getElementById('feeds-form').addEventListener('submit', e => { e.preventDefault(); refreshFeeds(); });
window.addEventListener('hashchange', () => show(location.hash.slice(1)));
loadSession().catch(e => setStatus('error: ' + e.message)).finally(() => show(location.hash.slice(1)));
