// format.js and marks.js: text for the Chinese UI and place names marked in quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtDistance, fmtRadius, fmtNumber, sectionLabel, truncate, quoteExcerpt, layerOfId } from '../../format.js';
import { nameRegex, highlightNames, highlightQuery } from '../../marks.js';

test('distances read as metres under a kilometre and kilometres above', () => {
  assert.equal(fmtDistance(0), '0 m（范围内）');
  assert.equal(fmtDistance(249.6), '250 m');
  assert.equal(fmtDistance(1234), '1.23 km');
  assert.equal(fmtDistance(12345), '12.3 km');
  assert.equal(fmtDistance(null), '');
  assert.equal(fmtRadius(500), '500 m');
  assert.equal(fmtRadius(2000), '2 km');
});

test('numbers are grouped, other values shown as written', () => {
  assert.equal(fmtNumber(12345.678), '12,345.68');
  assert.equal(fmtNumber('三成'), '三成');
});

test('a section label joins part, number and title', () => {
  assert.equal(sectionLabel({ part: '二', number: '（三）', title: '聚焦强核提能级' }), '二、（三） 聚焦强核提能级');
  assert.equal(sectionLabel({ number: '（三）' }), '（三）');
  assert.equal(sectionLabel(null), '');
});

test('truncate and quoteExcerpt count code points and keep the name in view', () => {
  assert.equal(truncate('解放碑商圈', 3), '解放碑…');
  assert.equal(truncate('解放碑', 3), '解放碑');
  const long = `${'前'.repeat(100)}十八梯${'后'.repeat(100)}`;
  const ex = quoteExcerpt(long, '十八梯', 30);
  assert.ok(ex.includes('十八梯'), ex);
  assert.ok(ex.startsWith('…') && ex.endsWith('…'));
  assert.equal(Array.from(ex).length, 32);
  assert.equal(quoteExcerpt('短句。', '短', 30), '短句。');
});

test('the layer of an id is its second part when it is a known layer', () => {
  assert.equal(layerOfId('yuzhong-2025/streets/x', ['zones', 'streets']), 'streets');
  assert.equal(layerOfId('yuzhong-2025/rivers/x', ['zones', 'streets']), null);
});

test('the longest name wins and the feature\'s own name is marked more strongly', () => {
  const re = nameRegex(['解放碑', '朝天门—解放碑—通远门', '十八梯', '']);
  const out = String(highlightNames('打造朝天门—解放碑—通远门轴线，连通十八梯。', '十八梯', re));
  assert.equal(out, '打造<mark class="place">朝天门—解放碑—通远门</mark>轴线，连通<mark class="own">十八梯</mark>。');
});

test('a name inside a longer one still gets its own mark', () => {
  const re = nameRegex(['解放碑', '朝天门—解放碑—通远门']);
  const out = String(highlightNames('打造朝天门—解放碑—通远门轴线。', '解放碑', re));
  assert.ok(out.includes('<mark class="own">解放碑</mark>'), out);
});

test('marking escapes the text around the names', () => {
  const re = nameRegex(['解放碑']);
  const out = String(highlightNames('<script>解放碑', null, re));
  assert.equal(out, '&lt;script&gt;<mark class="place">解放碑</mark>');
  assert.equal(String(highlightNames('<b>', '十八梯', null)), '&lt;b&gt;');
  assert.equal(nameRegex([]), null);
});

test('the query is bolded in a result name, escaped', () => {
  assert.equal(String(highlightQuery('十八梯<传统>风貌区', '风貌')), '十八梯&lt;传统&gt;<b>风貌</b>区');
  assert.equal(String(highlightQuery('十八梯', '解放碑')), '十八梯');
});
