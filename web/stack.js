//! Stacked places: features drawn at the same or nearly the same spot (several projects placed
//! at one anchor, such as the towers around 解放碑) cannot be told apart by clicking. Given the
//! screen positions of the drawn points, this finds every one within a few pixels of the one
//! clicked, so the page can offer a chooser. Pure: points in pixels in, a list out.

/** How close (in screen pixels) two drawn points must be to count as one stack. */
export const STACK_PX = 12;

/**
 * The points within `px` of `at` ({x, y} in pixels), nearest first, then by name (zh-CN); each
 * point is `{id, name, x, y}`. One point per id.
 */
export function stackAt(points, at, px = STACK_PX) {
  const seen = new Set();
  const out = [];
  for (const p of points) {
    if (seen.has(p.id)) continue;
    const d = Math.hypot(p.x - at.x, p.y - at.y);
    if (d <= px) {
      seen.add(p.id);
      out.push({ ...p, d });
    }
  }
  return out.sort((a, b) => a.d - b.d || String(a.name).localeCompare(String(b.name), 'zh-CN'));
}
