// print.js: the printed page's date and which list it carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printDate, printList } from '../../print.js';

test('the printed date reads the Chinese way', () => {
  assert.equal(printDate(new Date(2026, 11, 7)), '2026年12月7日');
});

test('the printed list is the one the view shows: the open tab first, then compare, near, the feature', () => {
  const near = { features: [] };
  const compare = { a: 'a', b: 'b' };
  assert.equal(printList({ tab: 'detail', selected: 'x', near, compare }), 'detail');
  assert.equal(printList({ tab: 'near', selected: 'x', near, compare }), 'near');
  assert.equal(printList({ tab: 'layers', selected: 'x', near, compare }), 'compare');
  assert.equal(printList({ tab: 'layers', selected: 'x', near, compare: null }), 'near');
  assert.equal(printList({ tab: 'layers', selected: 'x', near: null, compare: null }), 'detail');
  assert.equal(printList({ tab: 'near', selected: null, near: null, compare: null }), '');
});
