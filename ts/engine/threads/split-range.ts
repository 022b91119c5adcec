/** A half-open range [start, end). */
export type Range = [start: number, end: number];

/**
 * `total` cut into at most `parts` near-equal ranges whose boundaries are multiples of `align` (the last one
 * ends at `total`); fewer ranges when there are fewer aligned units than parts, none when total ≤ 0.
 *   splitRange(10, 2, 4) → [0, 4], [4, 10]      (units of 4: 3 → 1 + 2)
 */
export function splitRange(total: number, parts: number, align: number): Range[] {
  if (total <= 0) return [];
  const units = Math.ceil(total / align);
  const pieces = Math.max(1, Math.min(parts, units));
  const ranges: Range[] = [];
  for (let p = 0; p < pieces; p++) {
    const start = Math.floor((units * p) / pieces) * align;
    const end = Math.min(total, Math.floor((units * (p + 1)) / pieces) * align);
    ranges.push([start, end]);
  }
  return ranges;
}
