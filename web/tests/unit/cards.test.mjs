// cards.js: the HTML pieces the panels share, built through html.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusBadge, matchBadge, targetsTable, sourceNote, listItem, distanceWithRange, drawnSegments, segmentName, segmentsList } from '../../cards.js';
import { createVocabulary } from '../../vocabulary.js';
import { nameRegex } from '../../marks.js';
import { fixture } from './load.mjs';

const vocab = createVocabulary(fixture('fixtures/vocab.json'));

const feature = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [106.5745, 29.554] },
  properties: {
    id: 'yuzhong-2025/projects/十八梯"><script>',
    name: '十八梯<b>',
    layer: 'projects',
    kind: '广场',
    action: { verb: '建成', status: 'completing' },
    location: { match: 'anchor', uncertainty_m: 250 },
    targets: [{ metric: '步行连廊', value: 1200, unit: '米', text: '步行连廊1200米' }],
    quote: '建成十八梯<b>至较场口的步行连廊。',
  },
};

test('a status badge shows the report\'s verb and the vocabulary\'s status wording', () => {
  assert.equal(String(statusBadge({ verb: '建成', status: 'completing' }, vocab)),
    '<span class="badge status-completing" title="报告用词：建成">建成 · 建成</span>');
  assert.equal(statusBadge(null, vocab), '');
});

test('a match badge names how the place was found', () => {
  assert.equal(String(matchBadge({ match: 'anchor' })), '<span class="badge match-anchor">按邻近锚点推定</span>');
  assert.equal(String(matchBadge({ match: 'new_tier' })), '<span class="badge match-new_tier">new_tier</span>');
});

test('targets are a table row each, numbers grouped', () => {
  const out = String(targetsTable(feature.properties.targets));
  assert.ok(out.includes('<th>步行连廊</th><td><b>1,200</b> 米</td>'), out);
  assert.equal(targetsTable([]), '');
});

test('a long source note folds, a short one does not', () => {
  assert.ok(String(sourceNote('OSM way')).startsWith('<div'));
  assert.ok(String(sourceNote('长'.repeat(100))).startsWith('<details'));
});

test('a list item escapes every piece of the feature and shows its distance and uncertainty', () => {
  const out = String(listItem(feature, { vocab, names: nameRegex(['十八梯<b>', '较场口']), distance: 12.4 }));
  assert.ok(!out.includes('<script>') && !out.includes('十八梯<b>'), out);
  assert.ok(out.includes('data-fid="yuzhong-2025/projects/十八梯&quot;&gt;&lt;script&gt;"'));
  assert.ok(out.includes('data-testid="near-item" data-distance="12.4"'));
  assert.ok(out.includes('>12 m</span>'), out);
  assert.ok(out.includes('±250 m'));
  assert.ok(out.includes('<mark class="own">十八梯&lt;b&gt;</mark>'), out);
  assert.ok(out.includes('<mark class="place">较场口</mark>'));
});

test('a near item shows its distance widened by the uncertainty', () => {
  const near = { ...feature, properties: { ...feature.properties, distance_range_m: [0, 262.4] } };
  const out = String(listItem(near, { vocab, names: null, distance: 12.4 }));
  assert.ok(out.includes('12 m（0–262 m）'), out);
  assert.equal(distanceWithRange(800, [500, 1100]), '800 m（500 m–1.10 km）');
  assert.equal(distanceWithRange(800, null), '800 m');
});

test('a compact list item has no quote, badges or distance', () => {
  const out = String(listItem(feature, { vocab, names: null, compact: true }));
  assert.ok(out.includes('data-testid="feature-item"'));
  assert.ok(!out.includes('fi-quote') && !out.includes('badge') && !out.includes('fi-dist'));
});

const road = {
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: [[106.5788, 29.5536], [106.5491, 29.5482]] },
  properties: {
    id: 'r/streets/长滨路', name: '长滨路', layer: 'streets', kind: '路',
    location: { match: 'anchor', uncertainty_m: 1683 },
    quote: '完成长滨路菜园坝至储奇门段改造。',
    segments: [{ from: '菜园坝', to: '储奇门', sentence_id: 1, quote: '完成长滨路菜园坝至储奇门段改造。', drawn: true }],
    length_m: 3004,
  },
};

test('a segment is named as the report writes it', () => {
  assert.equal(segmentName('长滨路', { from: '菜园坝', to: '储奇门' }), '长滨路 菜园坝至储奇门段');
});

test('a list entry says 段 when only a segment of the street is drawn', () => {
  const out = String(listItem(road, { vocab, names: nameRegex([]) }));
  assert.ok(out.includes('<span class="fi-seg badge" title="长滨路 菜园坝至储奇门段">段</span>'), out);
  const whole = { ...road, properties: { ...road.properties, segments: [{ ...road.properties.segments[0], drawn: false, reason: '储奇门未定位；画出整条路' }] } };
  assert.ok(!String(listItem(whole, { vocab, names: nameRegex([]) })).includes('fi-seg'));
  assert.deepEqual(drawnSegments(whole.properties), []);
});

test('the segments list says which stretch is drawn and why another is not', () => {
  const p = { ...road.properties, segments: [road.properties.segments[0], { from: '储奇门', to: '望龙门<b>', drawn: false, reason: '望龙门未定位；画出整条路' }] };
  const out = String(segmentsList(p));
  assert.ok(out.includes('长滨路 菜园坝至储奇门段 <span class="muted small">（图上只画出此段）</span>'), out);
  assert.ok(out.includes('长滨路 储奇门至望龙门&lt;b&gt;段 <span class="muted small">（未单独画出：望龙门未定位；画出整条路）</span>'), out);
  assert.equal(segmentsList({ name: '民族路' }), '');
});
