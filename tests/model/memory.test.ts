// "Training and prediction reuse buffers allocated once; dispose() returns a model's wasm memory for reuse:
// building, training and disposing 300 models leaves densa's memory where it was after warm-up."
// Two exact meters: the engine allocator (bytes and blocks in use) and the size of wasm linear memory (it only
// grows, so any leak or fragmentation shows). NOTE: not the process RSS or JS heap, which move with V8's own
// heap sizing and the machine's load; JS-side allocation per step belongs to a dedicated --expose-gc probe.
import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { callbacks, init, layers, metrics, optimizers, Sequential, type Tensor } from "../../ts/index.js";
import { randomMatrix, toyClassification, type WasmUsage, wasmUsage } from "../helpers/model-fixtures.js";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

beforeAll(async () => {
  await init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const data = toyClassification(64, 8, 3, 5);

function smallModel(optimizer: string | optimizers.Optimizer = "adam") {
  const model = new Sequential([
    new layers.Normalization({ inputShape: [8], mean: 0, variance: 1 }),
    new layers.Dense(16, { activation: "relu", kernelRegularizer: "l2" }),
    new layers.Dropout(0.1),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({ optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy", metrics.auc()] });
  return model;
}

/** Counts calls of the engine allocator's alloc while `body` runs. */
async function countAllocations(body: () => Promise<void> | void): Promise<number> {
  const allocator = getEngine().allocator;
  const spy = vi.spyOn(allocator, "alloc");
  try {
    await body();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

/** Forced collections, each followed by a macrotask turn in which FinalizationRegistry callbacks can run. */
async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("dispose returns every byte", () => {
  it("300 models built, trained, used and disposed: allocator back to baseline each time, wasm memory flat", async () => {
    const lifecycle = async () => {
      const model = smallModel();
      await model.fit(data.x, data.y, { epochs: 2, batchSize: 16, validationSplit: 0.25, seed: 1, verbose: 0 });
      await model.evaluate(data.x, data.y, { verbose: 0 });
      model.predict(data.x);
      model.trainOnBatch(data.x, data.y);
      model.dispose();
    };
    // Warm-up: the shared generator, JIT tiers, the allocator's first growth, and V8's heap reservation, which
    // grows in steps for the first ~200 cycles with the whole library loaded (measured: RSS rises ~17 MiB by
    // cycle 200, then stays within ~1 MiB up to cycle 1200) — noise, not a leak, so it stays out of the measurement.
    for (let i = 0; i < 200; i++) await lifecycle();
    await settle();
    const baseline = wasmUsage();
    let worst: WasmUsage = baseline;
    for (let i = 0; i < 300; i++) {
      await lifecycle();
      const usage = wasmUsage();
      if (
        usage.bytesInUse !== baseline.bytesInUse ||
        usage.liveBlocks !== baseline.liveBlocks ||
        usage.memoryBytes !== baseline.memoryBytes
      ) {
        worst = usage;
        break;
      }
    }
    expect(worst).toEqual(baseline);
  });

  it("recompiling with a new optimizer frees the old optimizer's slots", async () => {
    const base = wasmUsage();
    const model = smallModel();
    await model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    for (let i = 0; i < 5; i++) {
      model.compile({ optimizer: new optimizers.Adam(), loss: "sparse_categorical_crossentropy" });
      await model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    }
    model.dispose();
    expect(wasmUsage().bytesInUse).toBe(base.bytesInUse);
    expect(wasmUsage().liveBlocks).toBe(base.liveBlocks);
  });

  it("pop / add / rebuild of the trainer and a popped layer's own dispose leave nothing behind", async () => {
    const base = wasmUsage();
    const model = smallModel();
    await model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    const popped = model.pop();
    model.add(new layers.Dense(3, { activation: "softmax", name: "replacement" }));
    await model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    model.predict(data.x);
    model.dispose();
    popped.dispose();
    expect(wasmUsage().bytesInUse).toBe(base.bytesInUse);
  });

  it("one optimizer instance cannot train two models (Keras 3 refuses too): no shared slots to free twice", async () => {
    const optimizer = new optimizers.Adam();
    const first = smallModel(optimizer);
    expect(() => smallModel(optimizer)).toThrow(/compile: optimizer.*already.*model/);
    // Once its model is disposed the instance is free again.
    first.dispose();
    const second = smallModel(optimizer);
    await second.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    second.dispose();
  });

  it("a model dropped without dispose() is freed by the FinalizationRegistry safety net", async () => {
    await settle();
    const base = wasmUsage();
    await (async () => {
      for (let i = 0; i < 20; i++) {
        const model = smallModel();
        await model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
        model.predict(data.x);
      }
    })();
    expect(wasmUsage().bytesInUse).toBeGreaterThan(base.bytesInUse);
    // NOTE: a bounded number of collection rounds (not a time): V8 may finalize the models over a few of them.
    for (let round = 0; round < 20 && wasmUsage().bytesInUse !== base.bytesInUse; round++) await settle(1);
    expect(wasmUsage().bytesInUse).toBe(base.bytesInUse);
    expect(wasmUsage().liveBlocks).toBe(base.liveBlocks);
  });
});

describe("buffers are allocated once and reused", () => {
  it("fit allocates nothing in wasm after its first epoch, and memory does not grow over 30 epochs", async () => {
    const x = randomMatrix(300, 8, 9);
    const y = Array.from({ length: 300 }, (_, i) => i % 3);
    const model = smallModel();
    const perEpoch: { usage: WasmUsage; allocations: number }[] = [];
    const allocator = getEngine().allocator;
    const spy = vi.spyOn(allocator, "alloc");
    const watcher = new callbacks.LambdaCallback({
      onEpochEnd: () => {
        perEpoch.push({ usage: wasmUsage(), allocations: spy.mock.calls.length });
      },
    });
    await model.fit(x, y, {
      epochs: 30,
      batchSize: 32,
      validationSplit: 0.2,
      seed: 3,
      verbose: 0,
      callbacks: [watcher],
    });
    spy.mockRestore();
    const first = perEpoch[0];
    expect(first.allocations).toBeGreaterThan(0); // the first epoch does allocate (so the spy works)
    for (const epoch of perEpoch.slice(1)) {
      expect(epoch.allocations).toBe(first.allocations);
      expect(epoch.usage).toEqual(first.usage);
    }
    // A second fit on the same model reuses everything too (only fit's own seeded generator comes and goes).
    const again = await countAllocations(() =>
      model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 }).then(() => undefined),
    );
    expect(again).toBeLessThanOrEqual(1);
    model.dispose();
  });

  it("predict of one sample, 2000 times, allocates nothing after the first and does not grow memory", async () => {
    const model = smallModel();
    const sample = [[0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]];
    const first = model.predict(sample);
    const usage = wasmUsage();
    let last: Tensor = first;
    const allocations = await countAllocations(() => {
      for (let i = 0; i < 2000; i++) last = model.predict(sample);
    });
    expect(allocations).toBe(0);
    expect(wasmUsage()).toEqual(usage);
    expect(Array.from(last.data)).toEqual(Array.from(first.data));
    // Bigger batches grow the buffers once; going back to one sample reuses them.
    model.predict(data.x);
    const grown = wasmUsage();
    expect(await countAllocations(() => void model.predict(sample))).toBe(0);
    expect(await countAllocations(() => void model.predict(data.x))).toBe(0);
    expect(wasmUsage()).toEqual(grown);
    model.dispose();
  });

  it("evaluate and trainOnBatch repeated allocate nothing after the first call", async () => {
    const model = smallModel();
    await model.evaluate(data.x, data.y, { verbose: 0 });
    model.trainOnBatch(data.x, data.y);
    const usage = wasmUsage();
    const allocations = await countAllocations(async () => {
      for (let i = 0; i < 200; i++) {
        await model.evaluate(data.x, data.y, { verbose: 0, batchSize: 16 });
        model.trainOnBatch(data.x, data.y);
      }
    });
    expect(allocations).toBe(0);
    expect(wasmUsage()).toEqual(usage);
    model.dispose();
  });
});
