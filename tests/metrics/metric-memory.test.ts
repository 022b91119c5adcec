// Metrics that count in the kernels hold a scratch block in wasm memory: allocated on the first update, reused
// by later ones (grown when a larger batch comes, for top-k's labels), and returned by dispose — measured on
// densa's allocator, so a metric that skipped its block (writing at address 0) or leaked it fails here.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { AUC, ThresholdMetric } from "../../ts/metrics/confusion-metrics.js";
import { TopKCategoricalAccuracy } from "../../ts/metrics/mean-metrics.js";
import { Metric } from "../../ts/metrics/metric.js";
import { denseBatch } from "../helpers/metric-batches.js";
import { freeAll, loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

const inUse = () => getEngine().allocator.bytesInUse;

/** Bytes the metric holds after each of the given updates, then after dispose (and a second dispose). */
function held(metric: Metric, batches: (() => ReturnType<typeof denseBatch>)[]): number[] {
  const sizes: number[] = [];
  for (const make of batches) {
    const batch = make();
    const before = inUse();
    metric.update(batch);
    sizes.push(inUse() - before);
  }
  const before = inUse();
  metric.dispose();
  sizes.push(inUse() - before);
  metric.dispose();
  sizes.push(inUse() - before);
  return sizes;
}

const rows =
  (n: number, cols = 2) =>
  () =>
    denseBatch(
      Array.from({ length: n * cols }, (_, i) => (i % 7) / 7),
      Array.from({ length: n * cols }, (_, i) => (i % cols === 0 ? 1 : 0)),
      cols,
    );

describe("scratch blocks", () => {
  test("Precision: one block of 4 counts on the first update, none after; dispose returns it", () => {
    const [first, second, freed, again] = held(new ThresholdMetric("Precision", "precision"), [rows(3), rows(5)]);
    expect(first).toBeGreaterThanOrEqual(16);
    expect(second).toBe(0);
    expect(freed).toBe(-first);
    expect(again).toBe(-first);
  });

  test("AUC: one block of 4 × numThresholds counts; dispose returns it", () => {
    const [first, second, freed] = held(new AUC("auc", 50), [rows(3), rows(5)]);
    expect(first).toBeGreaterThanOrEqual(4 * 4 * 50);
    expect(second).toBe(0);
    expect(freed).toBe(-first);
  });

  test("top-k: a label block for the largest batch so far, grown only when a larger batch comes", () => {
    const metric = new TopKCategoricalAccuracy(1);
    const [small, larger, same, smaller, freed] = held(metric, [rows(4), rows(40), rows(40), rows(10)]);
    expect(small).toBeGreaterThanOrEqual(4 * 4);
    expect(larger).toBeGreaterThanOrEqual(40 * 4 - small);
    expect(small + larger).toBeGreaterThanOrEqual(40 * 4);
    expect([same, smaller]).toEqual([0, 0]);
    expect(freed).toBe(-(small + larger));
    // Still correct after growing: every first-column target is the top score only where column 0 wins.
    expect(metric.result()).toBeGreaterThan(0);
  });

  test("top-k with integer labels needs no block", () => {
    const metric = new TopKCategoricalAccuracy(1);
    const batch = { ...rows(4)(), sparseTargets: true };
    const before = inUse();
    metric.update(batch);
    expect(inUse()).toBe(before);
  });
});

describe("Metric base class", () => {
  test("a custom metric's config is its class name and name", () => {
    class Count extends Metric {
      readonly className = "Count";
      private n = 0;
      update(batch: { rows: number }): void {
        this.n += batch.rows;
      }
      result(): number {
        return this.n;
      }
      reset(): void {
        this.n = 0;
      }
    }
    const metric = new Count("seen");
    expect(metric.getConfig()).toEqual({ className: "Count", config: { name: "seen" } });
    metric.dispose();
  });

  test("AUC's default name is auc", () => {
    expect(new AUC().name).toBe("auc");
    expect(new AUC().numThresholds).toBe(200);
  });
});
