//! Several reports on one page, as pure functions: which reports are selected (from a
//! permalink, by default the newest), the `report` parameter the API takes for a selection,
//! one feature per place (its latest commitment), a compare answer as place → new / continued /
//! dropped, and the page title for the reports shown. No DOM, no fetch.

/** Report ids in time order from a `/api/reports` answer. */
export function reportOrder(list) {
  return ((list && list.reports) || []).map((r) => r.id);
}

/**
 * The selection a permalink's `r=` asks for, keeping only loaded ids in time order; `all`
 * selects every report; nothing usable: the newest only.
 */
export function parseSelection(value, list) {
  const order = reportOrder(list);
  if (value === 'all') return order.slice();
  const wanted = new Set(String(value || '').split(',').map((s) => s.trim()).filter(Boolean));
  const picked = order.filter((id) => wanted.has(id));
  if (picked.length) return picked;
  const newest = list && list.newest ? list.newest : order[order.length - 1];
  return newest ? [newest] : [];
}

/** The `r=` value of a selection: `all` when every report is selected. */
export function selectionHash(selected, list) {
  const order = reportOrder(list);
  if (order.length > 1 && selected.length === order.length) return 'all';
  return selected.join(',');
}

/**
 * The API's `report` parameter for a selection: empty (every report, the API's default)
 * when every loaded report is selected, else the ids comma-joined.
 */
export function reportParam(selected, list) {
  const order = reportOrder(list);
  if (!selected.length || selected.length === order.length) return '';
  return order.filter((id) => selected.includes(id)).join(',');
}

/**
 * One drawing per place: of the features sharing a `place`, those of the latest report in
 * `order` (report ids in time order) that names it; features of one report are all kept
 * (a report may plan two things at one place), and features without a place are kept.
 */
export function latestByPlace(features, order) {
  const rank = new Map(order.map((id, i) => [id, i]));
  const rankOf = (f) => (rank.has(f.properties.report) ? rank.get(f.properties.report) : -1);
  const latest = new Map();
  for (const f of features) {
    const p = f.properties || {};
    if (p.place) latest.set(p.place, Math.max(latest.has(p.place) ? latest.get(p.place) : -1, rankOf(f)));
  }
  return features.filter((f) => !(f.properties || {}).place || rankOf(f) === latest.get(f.properties.place));
}

/** A compare answer as Map(place → 'new' | 'continued' | 'dropped'). */
export function compareClasses(answer) {
  const out = new Map();
  if (!answer) return out;
  for (const p of answer.dropped || []) out.set(p.place, 'dropped');
  for (const p of answer.continued || []) out.set(p.place, 'continued');
  for (const p of answer.new || []) out.set(p.place, 'new');
  return out;
}

/** A report's title that names its year: `重庆市渝中区人民政府工作报告（2025年）`. */
export function titleWithYear(r) {
  if (!r) return '';
  return r.year && !String(r.title).includes(String(r.year)) ? `${r.title}（${r.year}年）` : String(r.title || r.id);
}

/** Every selected report by its title with its year, joined: what a printed footer cites. */
export function reportsCited(selected, list) {
  const byId = new Map(((list && list.reports) || []).map((r) => [r.id, r]));
  return selected.map((id) => byId.get(id)).filter(Boolean).map(titleWithYear).join('、');
}

/** The page's title line for the selected reports, or for a comparison `{a, b}`. */
export function selectionTitle(selected, list, compare = null) {
  const byId = new Map(((list && list.reports) || []).map((r) => [r.id, r]));
  if (compare && byId.has(compare.a) && byId.has(compare.b)) {
    return `对比：${reportLabel(byId.get(compare.a))} → ${reportLabel(byId.get(compare.b))}`;
  }
  const shown = selected.map((id) => byId.get(id)).filter(Boolean);
  if (!shown.length) return '';
  if (shown.length === 1) return titleWithYear(shown[0]);
  const years = shown.map((r) => r.year).filter((y) => y != null);
  const span = years.length ? `，${Math.min(...years)}–${Math.max(...years)}年` : '';
  return `${shown.length} 份报告${span}`;
}

/** A short label of a report for lists: its year (or id) and kind. */
export function reportLabel(r) {
  return `${r.year != null ? `${r.year}年` : r.id} ${r.kind || ''}`.trim();
}

/**
 * Search results (`/api/search`, one per feature) grouped per place, in the order of each
 * place's best result: `{...latest result, ids, years, reports}` where the result shown is the
 * one of the latest report naming the place, `years` the years (or ids) of every report that
 * names it, in time order. `featureOf(id)` gives the catalogue feature (for its place and
 * report); results without one are grouped by layer and name.
 */
export function groupResults(results, featureOf, list) {
  const order = reportOrder(list);
  const rank = new Map(order.map((id, i) => [id, i]));
  const byId = new Map(((list && list.reports) || []).map((r) => [r.id, r]));
  const groups = new Map();
  for (const r of results || []) {
    if (r.station) continue;
    const f = featureOf(r.id);
    const p = (f && f.properties) || {};
    const report = p.report || String(r.id).split('/')[0];
    const key = p.place || `${r.layer}/${r.name}`;
    if (!groups.has(key)) groups.set(key, { key, members: [] });
    groups.get(key).members.push({ r, report });
  }
  return Array.from(groups.values()).map(({ key, members }) => {
    const sorted = members.slice().sort((a, b) => (rank.get(a.report) ?? -1) - (rank.get(b.report) ?? -1));
    const latest = sorted[sorted.length - 1];
    const reports = Array.from(new Set(sorted.map((m) => m.report)));
    const years = reports.map((id) => (byId.has(id) && byId.get(id).year != null ? `${byId.get(id).year}` : id));
    return { ...latest.r, place: key, ids: sorted.map((m) => m.r.id), reports, years };
  });
}
