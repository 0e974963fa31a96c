// vocabulary.js over the served vocabulary (src/vocab/vocab.json when present, else the fixture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVocabulary, DEFAULT_VOCABULARY, LAYER_STYLE } from '../../vocabulary.js';
import { servedVocabulary } from './load.mjs';

const { json, from } = servedVocabulary();
const vocab = createVocabulary(json);

test(`the served vocabulary (${from}) is used, with its layers in order`, () => {
  assert.equal(vocab.source, 'server');
  assert.deepEqual(vocab.layers, json.layers.map((l) => l.id));
  for (const l of ['zones', 'streets', 'projects']) assert.ok(vocab.layers.includes(l), l);
});

test('every status of the vocabulary has its served wording, in the served order', () => {
  assert.deepEqual(vocab.statusOrder, json.statuses.map((s) => s.id));
  for (const s of json.statuses) assert.equal(vocab.statusLabel(s.id), s.title || s.label);
  assert.equal(vocab.statusLabel('no_such_status'), '');
});

test('every kind of the vocabulary maps to its layer and has a colour of that layer\'s family', () => {
  assert.ok(json.kinds.length > 0);
  for (const k of json.kinds) {
    assert.equal(vocab.layerOfKind(k.kind), k.layer, k.kind);
    assert.match(vocab.kindColor(k.layer, k.kind), /^#[0-9a-f]{6}$/, k.kind);
    assert.equal(vocab.kindLabel(k.kind), k.label || k.kind);
  }
  assert.equal(vocab.layerOfKind('不存在的种类'), null);
});

test('a kind without a palette colour gets the same colour every time, from its own layer family', () => {
  const a = vocab.kindColor('projects', '新奇种类');
  assert.equal(a, vocab.kindColor('projects', '新奇种类'));
  assert.notEqual(vocab.kindColor('zones', '商圈'), vocab.kindColor('streets', '路'));
  assert.equal(vocab.kindColor('streets', '路'), '#1971c2');
});

test('every planned layer has a title, a symbol and a colour', () => {
  for (const l of vocab.layers) {
    const m = vocab.layerMeta(l);
    assert.ok(m.title && m.symbol && m.color, l);
  }
  assert.equal(vocab.layerMeta('rivers').title, 'rivers', 'an unknown layer is named by its id');
});

test('without a served vocabulary the page falls back to its default, and says so', () => {
  for (const bad of [null, undefined, {}, { layers: [] }, 'not json']) {
    const v = createVocabulary(bad);
    assert.equal(v.source, 'default');
    assert.deepEqual(v.layers, DEFAULT_VOCABULARY.layers.map((l) => l.id));
    assert.equal(v.statusLabel('planned'), '谋划推进');
  }
});

test('theme colours come from the palette, grey for a theme it does not know', () => {
  assert.equal(vocab.themeColor('文旅'), '#c2255c');
  assert.equal(vocab.themeColor('新主题'), '#868e96');
});

test('presentation the server serves wins over the palette, and bad values are not taken', () => {
  const v = createVocabulary({
    layers: [
      { id: 'zones', label: '区域', title: '片区与园区', note: '商圈', symbol: 'line', color: '#123456' },
      { id: 'streets', label: '街巷', symbol: 'hexagon', color: 'red;background:url(x)' },
      { id: 'rivers', label: '河流' },
    ],
    statuses: [{ id: 'planned', label: '谋划', title: '谋划推进' }, { id: 'starting', label: '启动' }],
    themes: [{ id: '文旅', label: '文旅', color: '#abcdef' }],
    kinds: [],
  });
  assert.deepEqual(v.layerMeta('zones'), { title: '片区与园区', note: '商圈', symbol: 'line', color: '#123456' });
  assert.deepEqual(v.layerMeta('streets'), LAYER_STYLE.streets);
  assert.deepEqual(v.layerMeta('rivers'), { title: '河流', note: '', symbol: 'point', color: '#868e96' });
  assert.equal(v.statusLabel('planned'), '谋划推进');
  assert.equal(v.statusLabel('starting'), '启动');
  assert.equal(v.themeColor('文旅'), '#abcdef');
  assert.equal(v.themeColor('产业'), '#e8590c');
});
