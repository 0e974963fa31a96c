// reports.js: the report selection, one feature per place, compare classes, the title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareClasses, groupResults, latestByPlace, parseSelection, reportParam, reportsCited, selectionHash, selectionTitle,
} from '../../reports.js';
import { parseHash, buildHash } from '../../permalink.js';

const LIST = {
  newest: 'yuzhong-2026',
  reports: [
    { id: 'yuzhong-2024', title: '重庆市渝中区人民政府工作报告（2024年）', year: 2024, kind: '工作报告' },
    { id: 'yuzhong-2025', title: '重庆市渝中区人民政府工作报告', year: 2025, kind: '工作报告' },
    { id: 'yuzhong-2026', title: '2026年渝中区政府工作报告', year: 2026, kind: '工作报告' },
  ],
};

const feature = (report, place, name) => ({ type: 'Feature', properties: { id: `${report}/zones/${name}`, report, place, name } });

test('without a permalink the newest report is selected; unknown ids are dropped', () => {
  assert.deepEqual(parseSelection(undefined, LIST), ['yuzhong-2026']);
  assert.deepEqual(parseSelection('yuzhong-1999', LIST), ['yuzhong-2026']);
  assert.deepEqual(parseSelection('yuzhong-2026,yuzhong-2024', LIST), ['yuzhong-2024', 'yuzhong-2026']);
  assert.deepEqual(parseSelection('all', LIST), ['yuzhong-2024', 'yuzhong-2025', 'yuzhong-2026']);
});

test('the API parameter is empty for every report and the ids in time order otherwise', () => {
  assert.equal(reportParam(['yuzhong-2024', 'yuzhong-2025', 'yuzhong-2026'], LIST), '');
  assert.equal(reportParam(['yuzhong-2026', 'yuzhong-2024'], LIST), 'yuzhong-2024,yuzhong-2026');
  assert.equal(selectionHash(['yuzhong-2024', 'yuzhong-2025', 'yuzhong-2026'], LIST), 'all');
  assert.equal(selectionHash(['yuzhong-2025'], LIST), 'yuzhong-2025');
});

test('a place in several reports is drawn with its latest commitment only', () => {
  const order = LIST.reports.map((r) => r.id);
  const shown = latestByPlace([
    feature('yuzhong-2026', 'jfb', '解放碑步行街'),
    feature('yuzhong-2024', 'jfb', '解放碑步行街'),
    feature('yuzhong-2025', 'jfb', '十字金街'),
    feature('yuzhong-2024', 'name:白象街', '白象街'),
    feature('yuzhong-2026', 'jfb', '解放碑'),
    { type: 'Feature', properties: { id: 'x', report: 'yuzhong-2024' } },
  ], order);
  const ids = shown.map((f) => f.properties.id).sort();
  assert.deepEqual(ids, ['x', 'yuzhong-2024/zones/白象街', 'yuzhong-2026/zones/解放碑', 'yuzhong-2026/zones/解放碑步行街'],
    'two things one report plans at one place are both kept');
});

test('a compare answer colours each place once', () => {
  const c = compareClasses({ new: [{ place: 'a' }], dropped: [{ place: 'b' }], continued: [{ place: 'c' }] });
  assert.equal(c.get('a'), 'new');
  assert.equal(c.get('b'), 'dropped');
  assert.equal(c.get('c'), 'continued');
  assert.equal(c.get('d'), undefined);
});

test('the title names one report with its year, or how many and which years', () => {
  assert.equal(selectionTitle(['yuzhong-2025'], LIST), '重庆市渝中区人民政府工作报告（2025年）');
  assert.equal(selectionTitle(['yuzhong-2024'], LIST), '重庆市渝中区人民政府工作报告（2024年）');
  assert.equal(selectionTitle(['yuzhong-2024', 'yuzhong-2026'], LIST), '2 份报告，2024–2026年');
});

test('the permalink keeps the report selection and the compared pair', () => {
  const h = buildHash({
    zoom: 14, lat: 29.55, lon: 106.57, layers: ['zones'], basemap: 'osm', filters: {},
    selected: null, reports: 'yuzhong-2024,yuzhong-2026', compare: { a: 'yuzhong-2024', b: 'yuzhong-2026' },
  });
  assert.match(h, /&r=yuzhong-2024,yuzhong-2026/);
  const s = parseHash(h, { layers: ['zones'], basemaps: ['osm'] });
  assert.equal(s.r, 'yuzhong-2024,yuzhong-2026');
  assert.deepEqual(s.cmp, { a: 'yuzhong-2024', b: 'yuzhong-2026' });
});

test('a comparison is titled by its two years; a footer cites every selected report with its year', () => {
  assert.equal(selectionTitle(['yuzhong-2024', 'yuzhong-2026'], LIST, { a: 'yuzhong-2024', b: 'yuzhong-2026' }), '对比：2024年 工作报告 → 2026年 工作报告');
  assert.equal(reportsCited(['yuzhong-2026'], LIST), '2026年渝中区政府工作报告');
  assert.equal(reportsCited(['yuzhong-2024', 'yuzhong-2025'], LIST), '重庆市渝中区人民政府工作报告（2024年）、重庆市渝中区人民政府工作报告（2025年）');
});

test('search results are grouped per place with the years that name it, the latest shown', () => {
  const catalog = new Map([
    ['yuzhong-2024/zones/s18', feature('yuzhong-2024', 'p-18', '十八梯传统风貌区')],
    ['yuzhong-2025/zones/s18', feature('yuzhong-2025', 'p-18', '十八梯传统风貌区')],
    ['yuzhong-2026/zones/s18', feature('yuzhong-2026', 'p-18', '十八梯')],
    ['yuzhong-2025/streets/x', feature('yuzhong-2025', 'p-x', '十八梯步道')],
  ]);
  const results = [
    { id: 'yuzhong-2025/zones/s18', name: '十八梯传统风貌区', layer: 'zones' },
    { id: 'yuzhong-2025/streets/x', name: '十八梯步道', layer: 'streets' },
    { id: 'yuzhong-2026/zones/s18', name: '十八梯', layer: 'zones' },
    { id: 'yuzhong-2024/zones/s18', name: '十八梯传统风貌区', layer: 'zones' },
  ];
  const groups = groupResults(results, (id) => catalog.get(id), LIST);
  assert.deepEqual(groups.map((g) => [g.place, g.id, g.years]), [
    ['p-18', 'yuzhong-2026/zones/s18', ['2024', '2025', '2026']],
    ['p-x', 'yuzhong-2025/streets/x', ['2025']],
  ]);
  // Without a catalogue entry a result is its own group, keyed by layer and name.
  assert.equal(groupResults([{ id: 'r9/zones/a', name: '甲', layer: 'zones' }], () => null, LIST)[0].place, 'zones/甲');
});
