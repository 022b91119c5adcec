/**
 * Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten) and their labels, shared by the SVG and the
 * text learning curves.
 *
 * The idea is Paul Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990): pick a round step near
 * range / count, then put ticks on its multiples. As in d3-array's ticks, the step is chosen from the raw
 * range / count with √2, √10, √50 as the switching points (Heckbert first rounds the range itself, which
 * gives steps twice too coarse on ranges like 0.05..2.3).
 */

/** Ticks of one axis: the axis runs from `min` to `max`, both multiples of `step` (or the data's own ends). */
export interface AxisTicks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** A round step (1, 2 or 5 × 10^k) near `span / count`; never below `minStep`. */
export function niceStep(span: number, count: number, minStep = 0): number {
  const rough = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const factor = ratio >= Math.SQRT2 * 5 ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.SQRT2 ? 2 : 1;
  return Math.max(factor * power, minStep);
}

/**
 * Value-axis ticks. Loose (the SVG): the axis is widened to the nearest multiples of the step below `low` and
 * above `high`, so both ends carry a label. Tight (text, where every row counts): the axis is the data's own
 * range and the ticks are the multiples inside it. A flat range (one value) is opened up around it.
 */
export function valueTicks(low: number, high: number, count: number, tight = false): AxisTicks {
  if (!(low < high)) {
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const step = niceStep(high - low, count);
  // NOTE: tick i is i × step, computed from the integer index, so no rounding error accumulates along the axis.
  const first = tight ? Math.ceil(low / step - 1e-9) : Math.floor(low / step + 1e-9);
  const last = tight ? Math.floor(high / step + 1e-9) : Math.ceil(high / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(roundTo(i * step, step));
  return tight
    ? { min: low, max: high, step, values }
    : { min: values[0], max: values[values.length - 1], step, values };
}

/**
 * Epoch-axis ticks: the axis runs exactly from the first to the last epoch (there is no epoch 0), with ticks
 * on whole multiples of a whole step, and the first epoch labelled too when it is not crowded by the next tick.
 */
export function epochTicks(first: number, last: number, count: number): AxisTicks {
  if (first === last) return { min: first - 1, max: last + 1, step: 1, values: [first] };
  const step = niceStep(last - first, count, 1);
  const values: number[] = [];
  for (let value = Math.ceil(first / step) * step; value <= last; value += step) values.push(value);
  if (values.length === 0 || values[0] - first > step / 2) values.unshift(first);
  return { min: first, max: last, step, values };
}

/** Decimals that tell ticks `step` apart: 0.5 → 1, 0.02 → 2, 10 → 0. */
function decimalsFor(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** `value` rounded to the decimals of `step` (drops float noise such as 0.30000000000000004). */
function roundTo(value: number, step: number): number {
  const rounded = Number(value.toFixed(Math.min(decimalsFor(step), 20)));
  return rounded === 0 ? 0 : rounded; // no "-0"
}

/** Labels for the values of an axis: fixed decimals, or exponent form for very large or very small steps. */
export function tickLabels(ticks: AxisTicks): string[] {
  const largest = Math.max(...ticks.values.map(Math.abs));
  if (largest >= 1e6 || ticks.step < 1e-4) {
    // Enough significant digits to tell neighbours apart, at least 1.
    const digits = Math.max(1, Math.min(20, Math.ceil(Math.log10(largest / ticks.step)) + 1));
    return ticks.values.map((value) => (value === 0 ? "0" : value.toExponential(digits - 1)));
  }
  return ticks.values.map((value) => value.toFixed(decimalsFor(ticks.step)));
}
