// html.js: the one escaping helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, esc, raw, join, Html } from '../../html.js';

test('esc escapes the five characters that matter in text and attributes', () => {
  assert.equal(esc(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(esc(null), '');
  assert.equal(esc(0), '0');
});

test('html escapes interpolated data but keeps its own markup', () => {
  const name = '<img src=x onerror=alert(1)>十八梯';
  const out = String(html`<b title="${name}">${name}</b>`);
  assert.equal(out, '<b title="&lt;img src=x onerror=alert(1)&gt;十八梯">&lt;img src=x onerror=alert(1)&gt;十八梯</b>');
  assert.ok(!out.includes('<img'));
});

test('an attribute value cannot be closed by data', () => {
  const out = String(html`<li data-fid="${'a" onclick="x'}">`);
  assert.equal(out, '<li data-fid="a&quot; onclick=&quot;x">');
});

test('nested html is not escaped twice, arrays are joined and nothing values vanish', () => {
  const items = ['解放碑', '<朝天门>'].map((n) => html`<li>${n}</li>`);
  const out = String(html`<ul>${items}${null}${undefined}${false}</ul>`);
  assert.equal(out, '<ul><li>解放碑</li><li>&lt;朝天门&gt;</li></ul>');
});

test('raw marks constant markup only, and join escapes plain pieces', () => {
  assert.ok(raw('<svg/>') instanceof Html);
  assert.equal(String(html`${raw('<br>')}`), '<br>');
  assert.equal(String(join([html`<b>甲</b>`, '<乙>'], '、')), '<b>甲</b>、&lt;乙&gt;');
});
