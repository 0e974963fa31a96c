// filters.js against the cases shared with the server (web/tests/fixtures/filter-cases.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passes, filterParams, isFiltered } from '../../filters.js';
import { fixture } from './load.mjs';

const { cases } = fixture('fixtures/filter-cases.json');

test('the shared filter cases are many enough to cover each filter', () => {
  assert.ok(cases.length >= 15, `only ${cases.length} cases`);
  for (const key of ['theme', 'section', 'status', 'q']) {
    assert.ok(cases.some((c) => key in c.filter && c.expected), `no passing case for ${key}`);
    assert.ok(cases.some((c) => key in c.filter && !c.expected), `no failing case for ${key}`);
  }
});

for (const c of cases) {
  test(`shared case: ${c.name}`, () => {
    assert.equal(passes(c.filter, c.feature), c.expected);
  });
}

test('an empty string filter value is no filter, as the page keeps unset filters', () => {
  const f = cases[0].feature;
  assert.equal(passes({ theme: '', section: '', status: '', q: '' }, f), true);
});

test('a section filter does not match a feature without a section', () => {
  assert.equal(passes({ section: '（三）' }, { name: '解放碑', section: null }), false);
});

test('filter params leave out empty values, which the server refuses', () => {
  assert.deepEqual(filterParams({ theme: '文旅', section: '', status: 'planned' }), { theme: '文旅', status: 'planned' });
  assert.equal(isFiltered({ theme: '', section: '', status: '' }), false);
  assert.equal(isFiltered({ status: 'starting' }), true);
});
