// Activation buffers planned per batch size (ts/models/activation-plan.ts): every layer declares its buffers and
// the model lays them out at offsets of one block per batch size class, so a model holds a handful of wasm
// blocks whatever its number of layers, dispose frees them all, and where lifetimes allow (every layer's scratch)
// buffers share bytes. The references: the allocator's own counters, the layers' declarations (widths and
// lifetimes, summed here by hand), and for the bits the same seeded training with the blocks re-planned at other
// addresses every step and with sharing switched off (any overlap of live buffers would change the numbers);
// tests/parity and tests/functional/parity.test.ts compare the same training paths against tfjs.
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import {
  callbacks,
  Input,
  init,
  layers,
  Model,
  Sequential,
  setRandomSeed,
  type Tensor,
  tensor,
} from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { currentLayoutVersion, invalidateLayouts } from "../../ts/layers/row-buffer.js";
import { ActivationPlan } from "../../ts/models/activation-plan.js";
import type { Graph } from "../../ts/models/graph.js";
import { expectSameBits, wasmUsage, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const live: { dispose(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const model of live.splice(0)) model.dispose();
  ActivationPlan.shareScratch = true;
});

/** Seeded samples × features in [-1, 1) and one-hot targets of `classes` classes (a plain LCG, no Math.random). */
function data(count: number, features: number, classes: number, seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const x = new Float32Array(count * features).map(() => next() * 2 - 1);
  const y = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) y[i * classes + Math.floor(next() * classes)] = 1;
  return { x: tensor(x, [count, features]), y: tensor(y, [count, classes]) };
}

/** The bench model, 784 → 128 → 64 → 10. */
function benchModel(hidden = [128, 64], compile = true): Sequential {
  setRandomSeed(3);
  const model = new Sequential([
    new layers.Dense(hidden[0], { activation: "relu", inputShape: [784] }),
    ...hidden.slice(1).map((units) => new layers.Dense(units, { activation: "relu" })),
    new layers.Dense(10, { activation: "softmax" }),
  ]);
  if (compile) model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  live.push(model);
  return model;
}

/** A Functional model of two branches with BatchNormalization, Dropout, an Add and a Concatenate. */
function functionalBnModel(): Model {
  setRandomSeed(4);
  const input = Input({ shape: [20] });
  const a = new layers.Dense(32, { activation: "relu" }).apply(input);
  const normalized = new layers.BatchNormalization().apply(a);
  const dropped = new layers.Dropout(0.2, { seed: 7 }).apply(normalized);
  const b = new layers.Dense(32, { activation: "tanh", activityRegularizer: "l2" }).apply(input);
  const sum = new layers.Add().apply([dropped, b]);
  const joined = new layers.Concatenate().apply([sum, new layers.LayerNormalization().apply(b)]);
  const output = new layers.Dense(5, { activation: "softmax" }).apply(joined);
  const model = new Model({ inputs: input, outputs: output });
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  live.push(model);
  return model;
}

function graphOf(model: Sequential | Model): Graph {
  return (model as unknown as { graph(): Graph }).graph();
}

function layerBuffersOf(model: Sequential | Model) {
  return (model.layers as Layer[]).flatMap((layer) => layer.rowBuffers);
}

describe("a handful of blocks, whatever the number of layers", () => {
  /** Blocks the model holds beyond `start` after each call; then dispose must bring the allocator back to `start`. */
  async function blocksHeld(make: () => Sequential, x: Tensor, y: Tensor): Promise<Record<string, number>> {
    const start = wasmUsage();
    const model = make();
    const held: Record<string, number> = {};
    const features = x.shape[1];
    model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
    held.compile = wasmUsage().liveBlocks - start.liveBlocks;
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    held.fit = wasmUsage().liveBlocks - start.liveBlocks;
    model.predict(tensor(x.data.slice(0, features), [1, features]));
    held.predict1 = wasmUsage().liveBlocks - start.liveBlocks;
    model.predict(x, { batchSize: 256 });
    held.predict256 = wasmUsage().liveBlocks - start.liveBlocks;
    await model.evaluate(x, y, { verbose: 0 });
    held.evaluate = wasmUsage().liveBlocks - start.liveBlocks;
    // Every layer's buffers sit in the plan's blocks: no layer allocated a block of its own.
    expect(layerBuffersOf(model).filter((buffer) => buffer.ownsBlock)).toEqual([]);
    live.splice(live.indexOf(model), 1);
    model.dispose();
    expect(wasmUsage().liveBlocks).toBe(start.liveBlocks);
    expect(wasmUsage().bytesInUse).toBe(start.bytesInUse);
    return held;
  }

  test("compile → fit → predict(1) → predict(256) → evaluate → dispose: the same blocks for 3 and 8 Dense layers, all freed", async () => {
    const { x, y } = data(256, 784, 10, 1);
    const three = await blocksHeld(() => benchModel([128, 64], false), x, y);
    const eight = await blocksHeld(() => benchModel([128, 96, 80, 64, 48, 32, 16], false), x, y);
    console.log(`wasm blocks the bench model holds, beyond the start: ${JSON.stringify(three)}`);
    // Weights, gradients, Adam's m and v, the batch copy of the training and of predict, the metric, and the
    // activation blocks (training; predict(1)'s; predict(256)'s), whatever the number of layers.
    expect(eight).toEqual(three);
    expect(three.predict1 - three.fit).toBe(2); // predict's batch copy and its one-row activation block
    expect(three.predict256 - three.predict1).toBe(1); // a block for 256 rows (more than fit's 32)
    expect(three.evaluate).toBe(three.predict256); // evaluate's 32 rows run in the training block
    expect(three.evaluate).toBeLessThanOrEqual(12);
  });

  test("BatchNormalization's per-channel blocks are planned too: 1 and 4 BatchNormalization layers hold the same blocks", async () => {
    const { x, y } = data(128, 20, 5, 3);
    const withBatchNorms = (count: number) => {
      setRandomSeed(2);
      const stack: Layer[] = [new layers.InputLayer({ inputShape: [20] })];
      for (let i = 0; i < count; i++) stack.push(new layers.Dense(16 + i), new layers.BatchNormalization());
      stack.push(new layers.Dense(5, { activation: "softmax" }));
      const model = new Sequential(stack);
      live.push(model);
      return model;
    };
    const one = await blocksHeld(() => withBatchNorms(1), x, y);
    expect(await blocksHeld(() => withBatchNorms(4), x, y)).toEqual(one);
  });

  test("a Functional model with BatchNormalization, Dropout, merges and LayerNormalization: every buffer planned, all freed", async () => {
    const start = wasmUsage();
    const model = functionalBnModel();
    const { x, y } = data(96, 20, 5, 2);
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 1 });
    model.predict(tensor(x.data.slice(0, 20), [1, 20]));
    model.predict(x);
    await model.evaluate(x, y, { verbose: 0, batchSize: 48 });
    expect(layerBuffersOf(model).filter((buffer) => buffer.ownsBlock)).toEqual([]);
    // Repeating every call allocates nothing more.
    const settled = wasmUsage();
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 1 });
    model.predict(tensor(x.data.slice(0, 20), [1, 20]));
    model.predict(x);
    await model.evaluate(x, y, { verbose: 0, batchSize: 48 });
    expect(wasmUsage().liveBlocks).toBe(settled.liveBlocks);
    live.splice(live.indexOf(model), 1);
    model.dispose();
    expect(wasmUsage().liveBlocks).toBe(start.liveBlocks);
    expect(wasmUsage().bytesInUse).toBe(start.bytesInUse);
  });
});

describe("buffers never alive at the same time share bytes", () => {
  test("bench model: the two Dense layers' dz (backward scratch) share one span; bytes saved as the declarations say", async () => {
    const model = benchModel();
    const { x, y } = data(64, 784, 10, 5);
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    const { bytes, unsharedBytes, blocks } = graphOf(model).plan.footprint;
    expect(blocks).toBe(1);
    // Training block, 32 rows, in floats (each span rounded to 16): outputs 128 + 64 + 10 (→16), dx of the
    // second and third Dense 128 + 64 (the first's inputs need none), the loss gradient 10 (→16); scratch: dz of
    // the three Dense, 128, 64 and 10 (the softmax one's goes unused on the fused path) → max = 128 when shared.
    const rows = 32;
    const span = (width: number) => Math.ceil((rows * width) / 16) * 16;
    const kept = span(128) + span(64) + span(10) + span(128) + span(64) + span(10);
    expect(unsharedBytes).toBe((kept + span(128) + span(64) + span(10)) * 4);
    expect(bytes).toBe((kept + span(128)) * 4);
    console.log(
      `bench model 784-128-64-10, training block for ${rows} rows: ${bytes} B shared, ${unsharedBytes} B unshared (saved ${unsharedBytes - bytes} B)`,
    );
  });

  test("Functional BN model: bytes saved reported; the same bits with sharing on and off, and with blocks moved every step", async () => {
    const { x, y } = data(96, 20, 5, 2);
    const train = async (setUp: () => void, everyStep?: () => void) => {
      setUp();
      const model = functionalBnModel();
      const moveBlocks = new callbacks.LambdaCallback({ onBatchEnd: () => everyStep?.() });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, seed: 9, callbacks: [moveBlocks] });
      const trained = { bits: weightBits(model as unknown as Sequential), footprint: graphOf(model).plan.footprint };
      // A predict of 96 rows runs in a block of its own, where the buffers kept for a backward are scratch too.
      const predictions = Array.from((model.predict(x, { batchSize: 96 }) as Tensor).data);
      return { ...trained, loss: history.history.loss, predictions, predictFootprint: graphOf(model).plan.footprint };
    };
    const shared = await train(() => {
      ActivationPlan.shareScratch = true;
    });
    const unshared = await train(() => {
      ActivationPlan.shareScratch = false;
    });
    // NOTE: invalidating after every step makes the next step lay out fresh blocks (other addresses).
    const moved = await train(() => {
      ActivationPlan.shareScratch = true;
    }, invalidateLayouts);
    expectSameBits(shared.bits, unshared.bits);
    expectSameBits(shared.bits, moved.bits);
    expect(shared.loss).toEqual(unshared.loss);
    expect(shared.predictions).toEqual(unshared.predictions);
    expect(shared.predictions).toEqual(moved.predictions);
    // The predict block (the footprint's growth) is smaller with sharing: BatchNormalization's and
    // LayerNormalization's statistics are scratch there.
    expect(shared.predictFootprint.bytes - shared.footprint.bytes).toBeLessThan(
      unshared.predictFootprint.bytes - unshared.footprint.bytes,
    );
    expect(shared.footprint.unsharedBytes).toBe(unshared.footprint.bytes);
    expect(shared.footprint.bytes).toBeLessThan(unshared.footprint.bytes);
    console.log(
      `Functional BN model, training block for 16 rows: ${shared.footprint.bytes} B shared, ${unshared.footprint.bytes} B unshared; ` +
        `with the predict(96) block: ${shared.predictFootprint.bytes} B shared, ${unshared.predictFootprint.bytes} B unshared`,
    );
  });
});

describe("memory growth in the middle of fit", () => {
  test("a validation batch big enough to grow wasm memory mid-fit leaves the training bits as without it", async () => {
    const { x, y } = data(64, 784, 10, 6);
    // NOTE: a validation batch whose copy alone is larger than all of linear memory now: the validation pass of
    // epoch 1 must grow it (memory.grow detaches the views; the next training step must re-read them).
    const rows = Math.ceil(getEngine().memory.buffer.byteLength / (784 * 4)) + 512;
    const big = data(rows, 784, 10, 7);
    const plain = benchModel();
    const plainHistory = await plain.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const grown = benchModel();
    const memoryBefore = getEngine().memory.buffer.byteLength;
    const sizes: number[] = [];
    const watch = new callbacks.LambdaCallback({
      onEpochEnd: () => void sizes.push(getEngine().memory.buffer.byteLength),
    });
    const grownHistory = await grown.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      shuffle: false,
      verbose: 0,
      validationData: [big.x, big.y],
      validationBatchSize: rows,
      callbacks: [watch],
    });
    expect(sizes[0]).toBeGreaterThan(memoryBefore); // the memory grew during the first epoch
    expectSameBits(weightBits(grown), weightBits(plain));
    expect(grownHistory.history.loss).toEqual(plainHistory.history.loss);
    // And predict after it all matches the model trained without the big batches.
    expect(Array.from(grown.predict(x).data)).toEqual(Array.from(plain.predict(x).data));
  });
});

describe("a block that cannot be allocated", () => {
  test("predict and fit fail with the allocator's error, then work again; nothing leaks", async () => {
    const { x, y } = data(64, 784, 10, 8);
    const start = wasmUsage();
    const model = benchModel();
    await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const expected = Array.from(model.predict(x, { batchSize: 64 }).data);
    await model.evaluate(x, y, { batchSize: 64, verbose: 0 }); // the training's batch copy for 64 rows
    const engine = getEngine();
    const real = engine.allocF32.bind(engine);
    // NOTE: the plan's blocks for 64 rows are refused, as an out-of-memory grow would: predict's (64 × 202
    // floats: the three outputs) and training's (64 × 532: outputs, two dx, the loss gradient, the shared dz);
    // the batch copies (64 × 784 and more) are not, so the failure is the plan's.
    vi.spyOn(engine, "allocF32").mockImplementation((count: number) => {
      if (count === 64 * 202 || count === 64 * 532)
        throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
      return real(count);
    });
    invalidateLayouts();
    expect(() => model.predict(x, { batchSize: 64 })).toThrow(/Maximum memory size/);
    await expect(model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 })).rejects.toThrow(/Maximum memory size/);
    const refused = vi.mocked(engine.allocF32).mock.results.filter((result) => result.type === "throw").length;
    expect(refused).toBe(2);
    vi.restoreAllMocks();
    expect(Array.from(model.predict(x, { batchSize: 64 }).data)).toEqual(expected);
    await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    live.splice(live.indexOf(model), 1);
    model.dispose();
    expect(wasmUsage().liveBlocks).toBe(start.liveBlocks);
    expect(wasmUsage().bytesInUse).toBe(start.bytesInUse);
  });
});

describe("a model nested in another", () => {
  test("its buffers are placed by the outer plan; running it alone in between re-places them, and the bits stay", async () => {
    const { x, y } = data(48, 12, 3, 10);
    const make = () => {
      setRandomSeed(6);
      const inner = new Sequential([
        new layers.Dense(16, { activation: "gelu", inputShape: [12] }),
        new layers.Dense(8, { activation: "swish" }),
      ]);
      const input = Input({ shape: [12] });
      const hidden = inner.apply(new layers.Dense(12, { activation: "elu" }).apply(input));
      const model = new Model({ inputs: input, outputs: new layers.Dense(3, { activation: "softmax" }).apply(hidden) });
      model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
      live.push(model);
      return { inner, model };
    };
    const alone = make();
    const twin = make();
    const train = (model: Model) => model.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    // NOTE: twice each: the first steps settle the plans (a nested model learns at its first backward that its
    // inputs need gradients, and each model's training re-plans the other's), so that no re-plan hides below.
    for (let round = 0; round < 2; round++) {
      await train(alone.model);
      await train(twin.model);
    }
    const version = currentLayoutVersion();
    // The inner model run on its own: its own plan places its layers' buffers in its own blocks, where the two
    // Dense layers' pre-activations (kept for a backward, so scratch in a predict block) share bytes. Training
    // the outer model in them would mix the two layers' pre-activations.
    const innerLayers = alone.inner.layers as Layer[];
    alone.inner.predict(tensor(x.data.slice(0, 12), [1, 12]));
    alone.inner.predict(tensor(x.data.slice(0, 12 * 16), [16, 12]));
    await train(alone.model);
    await train(twin.model);
    expect(currentLayoutVersion()).toBe(version); // the blocks were only re-pointed, not planned again
    expectSameBits(weightBits(alone.model as unknown as Sequential), weightBits(twin.model as unknown as Sequential));
    expect(innerLayers.flatMap((layer) => layer.rowBuffers).filter((buffer) => buffer.ownsBlock)).toEqual([]);
    expect(Array.from((alone.model.predict(x) as Tensor).data)).toEqual(
      Array.from((twin.model.predict(x) as Tensor).data),
    );
  });
});
