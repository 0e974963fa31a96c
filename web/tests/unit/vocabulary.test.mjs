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

test('every status of the vocabulary has its served label, in the served order', () => {
  assert.deepEqual(vocab.statusOrder, json.statuses.map((s) => s.id));
  for (const s of json.statuses) assert.equal(vocab.statusLabel(s.id), s.label);
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
  assert.equal(vocab.layerMeta('zones').symbol, LAYER_STYLE.zones.symbol);
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
