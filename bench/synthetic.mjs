// Seeded synthetic classification data, the same bytes for every library in a run.
import { seededFloats } from "../examples/datasets.mjs";
// NOTE: random pixels are enough for throughput and latency: every library does exactly the same arithmetic
// whatever the values are (no sparsity tricks in any of them), and a seed makes runs repeatable.

/**
 * `count` samples of `features` uniform values in [0, 1) and a one-hot label of `classes` each.
 * Returns { x: Float32Array(count × features), y: Float32Array(count × classes), labels: Int32Array(count) }.
 */
export function syntheticClassification({ count, features, classes, seed = 1 }) {
  const random = seededFloats(seed);
  const x = new Float32Array(count * features);
  for (let i = 0; i < x.length; i++) x[i] = random();
  const labels = new Int32Array(count);
  const y = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    labels[i] = Math.floor(random() * classes);
    y[i * classes + labels[i]] = 1;
  }
  return { x, y, labels, count, features, classes };
}
