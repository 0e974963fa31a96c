//! Two reports compared as a planner reads it, from the `/api/reports/{a}/compare/{b}` answer:
//! three lists (新增 / 延续 / 未再提及) of places by name, each with its commitment in each
//! report (verb, status, targets), what changed between the two (verb or status, each target's
//! old → new value, targets added or no longer stated), whether it can be drawn, and how many of
//! each kind the map cannot draw. Pure: the answer in, plain rows out (the panel renders them).

/** The three kinds, in the order the page lists them. */
export const COMPARE_KINDS = ['new', 'continued', 'dropped'];

/** Their Chinese names. */
export const COMPARE_LABELS = { new: '新增', continued: '延续', dropped: '未再提及' };

/** Their colours on the map and in the lists (the page's stylesheet uses the same). */
export const COMPARE_COLORS = { new: '#1a9850', continued: '#2c7bb6', dropped: '#8c8c8c' };

const verbOf = (c) => (c && c.verb) || '';
const statusOf = (c) => (c && c.status) || '';

/** A target's value with its unit, as written in a report: `1000万人次`. */
export function targetValue(t, fmt = String) {
  return t ? `${fmt(t.value)}${t.unit || ''}` : '—';
}

/**
 * What changed in the targets from commitment `a` to `b`, one entry per metric, in b's order
 * then a's: `{metric, from, to}` where `from`/`to` are targets (null when the report states
 * none for that metric). Metrics with the same value and unit in both are left out.
 */
export function targetChanges(a, b) {
  const ta = (a && a.targets) || [];
  const tb = (b && b.targets) || [];
  const byMetric = (list) => {
    const m = new Map();
    for (const t of list) if (!m.has(t.metric)) m.set(t.metric, t);
    return m;
  };
  const ma = byMetric(ta);
  const mb = byMetric(tb);
  const metrics = [...mb.keys(), ...[...ma.keys()].filter((k) => !mb.has(k))];
  const out = [];
  for (const metric of metrics) {
    const from = ma.get(metric) || null;
    const to = mb.get(metric) || null;
    if (from && to && from.value === to.value && from.unit === to.unit) continue;
    out.push({ metric, from, to });
  }
  return out;
}

/** One row of a list: the place, its commitments (`a`, `b`, either may be null) and changes. */
function row(kind, p, a, b) {
  const shown = b || a; // the commitment the map draws: the later report's when both name it
  const located = !!(shown && shown.located);
  const r = {
    kind,
    place: p.place,
    name: p.name,
    layer: p.layer,
    kind_label: p.kind || '',
    feature: shown ? shown.feature : null,
    located,
    a,
    b,
    verbChanged: false,
    statusChanged: false,
    targets: [],
  };
  if (a && b) {
    r.verbChanged = verbOf(a) !== verbOf(b);
    r.statusChanged = statusOf(a) !== statusOf(b);
    r.targets = targetChanges(a, b);
  }
  r.changed = r.verbChanged || r.statusChanged || r.targets.length > 0;
  return r;
}

/**
 * The answer as lists: `{a, b, lists: {new, continued, dropped}, undrawn: {new, continued,
 * dropped}}`. Continued places that changed come first (a planner reads what moved), then by
 * name; new and dropped by name. `undrawn` counts the places of each kind without geometry.
 */
export function compareLists(answer) {
  const byName = (x, y) => String(x.name).localeCompare(String(y.name), 'zh-CN');
  const lists = {
    new: ((answer && answer.new) || []).map((p) => row('new', p, null, p.commitment)).sort(byName),
    continued: ((answer && answer.continued) || []).map((p) => row('continued', p, p.a, p.b))
      .sort((x, y) => Number(y.changed) - Number(x.changed) || byName(x, y)),
    dropped: ((answer && answer.dropped) || []).map((p) => row('dropped', p, p.commitment, null)).sort(byName),
  };
  const undrawn = Object.fromEntries(COMPARE_KINDS.map((k) => [k, lists[k].filter((r) => !r.located).length]));
  return { a: (answer && answer.a) || null, b: (answer && answer.b) || null, lists, undrawn };
}

/** The sentence under the map's compare legend: how many of each kind it cannot draw. */
export function undrawnSentence(undrawn) {
  const parts = COMPARE_KINDS.filter((k) => undrawn[k]).map((k) => `${COMPARE_LABELS[k]} ${undrawn[k]}`);
  return parts.length ? `图上无法绘制（未定位）：${parts.join('，')}，见列表` : '各项均已绘制';
}
