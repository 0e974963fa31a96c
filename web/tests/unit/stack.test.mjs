// stack.js: which drawn points share a spot with the one clicked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STACK_PX, stackAt } from '../../stack.js';

const P = (id, name, x, y) => ({ id, name, x, y });

test('points at the clicked spot form one stack, nearest first then by name', () => {
  const points = [P('a', '世贸大厦', 100, 100), P('b', '北城天街', 100, 100), P('c', '重庆塔', 103, 99), P('d', '远处项目', 140, 100)];
  assert.deepEqual(stackAt(points, { x: 100, y: 100 }).map((p) => p.id), ['b', 'a', 'c']);
});

test('a point alone at its spot is a stack of one, and the same id is listed once', () => {
  const points = [P('a', '甲', 10, 10), P('a', '甲', 10, 10), P('b', '乙', 10 + STACK_PX + 1, 10)];
  assert.deepEqual(stackAt(points, { x: 10, y: 10 }).map((p) => p.id), ['a']);
});

test('the tolerance decides what counts as the same spot', () => {
  const points = [P('a', '甲', 0, 0), P('b', '乙', 20, 0)];
  assert.equal(stackAt(points, { x: 0, y: 0 }, 25).length, 2);
  assert.equal(stackAt(points, { x: 0, y: 0 }, 5).length, 1);
});
