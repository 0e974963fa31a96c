// compare.js: a compare answer as lists a planner reads (names, commitments, what changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareLists, targetChanges, targetValue, undrawnSentence } from '../../compare.js';

// Commitments in the shape the server's compare route writes them (our own example values).
const c = (report, feature, verb, status, targets = [], located = true) => ({
  report, feature, verb, status, targets, located, quote: `${verb}示例`,
});
const t = (metric, value, unit) => ({ metric, value, unit, text: `${metric}${value}${unit}` });

const ANSWER = {
  a: { id: 'r-2024', year: 2024 },
  b: { id: 'r-2026', year: 2026 },
  new: [{ place: 'p-gate', name: '通远门城墙遗址公园', layer: 'zones', kind: '公园', commitment: c('r-2026', 'r-2026/zones/gate', '启动', 'starting', [], false) }],
  dropped: [
    { place: 'p-b', name: '鹅岭二厂', layer: 'zones', kind: '园区', commitment: c('r-2024', 'r-2024/zones/b', '推进', 'under_construction') },
    { place: 'p-a', name: '谯楼遗址', layer: 'projects', kind: '遗址', commitment: c('r-2024', 'r-2024/projects/a', '推进', 'under_construction', [], false) },
  ],
  continued: [
    { place: 'p-18', name: '十八梯传统风貌区', layer: 'zones', kind: '风貌区', a: c('r-2024', 'r-2024/zones/18', '打造', 'planned'), b: c('r-2026', 'r-2026/zones/18', '打造', 'planned') },
    {
      place: 'p-j', name: '解放碑步行街', layer: 'streets', kind: '街',
      a: c('r-2024', 'r-2024/streets/j', '推进', 'under_construction', [t('停车位', 500, '个'), t('客流', 800, '万人次')]),
      b: c('r-2026', 'r-2026/streets/j', '完成', 'completing', [t('停车位', 800, '个'), t('客流', 800, '万人次'), t('商户', 40, '家')]),
    },
  ],
};

test('targets that changed are listed old → new by metric; unchanged ones are left out', () => {
  const [a, b] = [ANSWER.continued[1].a, ANSWER.continued[1].b];
  const changes = targetChanges(a, b);
  assert.deepEqual(changes.map((x) => [x.metric, x.from && x.from.value, x.to && x.to.value]), [
    ['停车位', 500, 800],
    ['商户', null, 40],
  ]);
  // A target the later report no longer states is a change too.
  assert.deepEqual(targetChanges(b, a).map((x) => [x.metric, x.to && x.to.value]), [['停车位', 500], ['商户', null]]);
  assert.equal(targetValue(t('客流', 1000, '万人次')), '1000万人次');
});

test('the lists carry every place once, continued ones that changed first, with both commitments', () => {
  const m = compareLists(ANSWER);
  assert.deepEqual(m.lists.new.map((r) => r.name), ['通远门城墙遗址公园']);
  assert.deepEqual(m.lists.continued.map((r) => r.name), ['解放碑步行街', '十八梯传统风貌区']);
  assert.equal(m.lists.dropped.length, 2);
  const [j, s18] = m.lists.continued;
  assert.equal(j.verbChanged, true);
  assert.equal(j.statusChanged, true);
  assert.equal(j.feature, 'r-2026/streets/j', 'a continued place selects its later commitment');
  assert.equal(s18.changed, false);
  const dropped = m.lists.dropped.find((r) => r.place === 'p-b');
  assert.equal(dropped.feature, 'r-2024/zones/b', 'a dropped place selects its earlier commitment');
  assert.equal(dropped.b, null);
});

test('unlocated places are kept in the lists and counted as what the map cannot draw', () => {
  const m = compareLists(ANSWER);
  assert.equal(m.lists.new[0].located, false);
  assert.deepEqual(m.undrawn, { new: 1, continued: 0, dropped: 1 });
  assert.equal(undrawnSentence(m.undrawn), '图上无法绘制（未定位）：新增 1，未再提及 1，见列表');
  assert.equal(undrawnSentence({ new: 0, continued: 0, dropped: 0 }), '各项均已绘制');
});

test('an empty or missing answer gives empty lists, not an error', () => {
  const m = compareLists(null);
  assert.deepEqual([m.lists.new, m.lists.continued, m.lists.dropped], [[], [], []]);
});
