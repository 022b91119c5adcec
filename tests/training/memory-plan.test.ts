// One memory plan per compiled model (ts/training/memory-plan.ts): after compile every weight of the model lives
// in one block at 64-byte-aligned offsets (trainable first), gradients and optimizer slots in blocks of the
// same layout, and the optimizer updates the whole model in one kernel call per step.
// The reference for the bits: the same seeded model trained with every weight moved to a block of its own
// after compile, so that the optimizer makes one call per variable, as it did before the plan (that path is
// what tests/parity/optimizers.test.ts checks against tfjs and tests/optimizers against closed forms).
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, optimizers, Sequential, setRandomSeed, tensor } from "../../ts/index.js";
import type { Variable } from "../../ts/layers/variable.js";
import { VariableBlock } from "../../ts/layers/variable-block.js";
import { expectSameBits, toyClassification, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const data = toyClassification(40, 7, 3, 11);
const live: Sequential[] = [];
afterEach(() => {
  for (const model of live.splice(0)) model.dispose();
});

/** 7 → 16 → 5 → 3: sizes that are not multiples of 16, so the block has padding between weights. */
function model(optimizer: () => optimizers.Optimizer): Sequential {
  setRandomSeed(5);
  const built = new Sequential([
    new layers.Dense(16, { activation: "relu", inputShape: [7] }),
    new layers.Dense(5, { activation: "tanh" }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  built.compile({ optimizer: optimizer(), loss: "sparse_categorical_crossentropy" });
  live.push(built);
  return built;
}

function variablesOf(built: Sequential): Variable[] {
  return built.layers.flatMap((layer) => layer.weights);
}

/** The pre-plan layout: every weight in a block of its own (one optimizer call per variable). */
function splitIntoOwnBlocks(built: Sequential): void {
  for (const variable of variablesOf(built)) variable.moveTo(new VariableBlock(variable.size), 0);
}

/** Counts the calls of one kernel while `body` runs. */
async function countCalls(kernel: string, body: () => Promise<unknown>): Promise<number> {
  // NOTE: the kernels are the wasm instance's exports (not configurable): the engine's binding is swapped, as bench/step-profile.mjs does.
  const engine = getEngine() as unknown as { kernels: Record<string, unknown> };
  const plain = engine.kernels;
  const original = plain[kernel] as (...args: unknown[]) => unknown;
  let calls = 0;
  engine.kernels = { ...plain, [kernel]: (...args: unknown[]) => (calls++, original(...args)) };
  try {
    await body();
    return calls;
  } finally {
    engine.kernels = plain;
  }
}

const fitTwoEpochs = (built: Sequential) =>
  built.fit(data.x, data.y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });

describe("the memory plan's layout", () => {
  test("every weight in one block, trainable first, each on a 16-float (64-byte) boundary, gradients at the same offsets", async () => {
    const built = model(() => new optimizers.Adam());
    await fitTwoEpochs(built);
    const variables = variablesOf(built);
    const block = variables[0].block;
    expect(variables.every((variable) => variable.block === block)).toBe(true);
    let expectedOffset = 0;
    for (const variable of variables) {
      expect(variable.offset).toBe(expectedOffset);
      expect(variable.ptr % 64).toBe(0);
      expect(variable.grad - block.grad).toBe(variable.offset * 4);
      expectedOffset += Math.ceil(variable.size / 16) * 16;
    }
    expect(block.size).toBe(expectedOffset);
    expect(getEngine().allocator.sizeOf(block.ptr)).toBeGreaterThanOrEqual(block.size * 4);
  });

  test("non-trainable weights (BatchNormalization's moving statistics) come after the trainable ones", () => {
    setRandomSeed(1);
    const built = new Sequential([
      new layers.Dense(4, { inputShape: [3] }),
      new layers.BatchNormalization(),
      new layers.Dense(2),
    ]);
    live.push(built);
    built.compile({ optimizer: "sgd", loss: "mse" });
    const variables = variablesOf(built);
    const lastTrainable = Math.max(
      ...variables.filter((variable) => variable.trainable).map((variable) => variable.offset),
    );
    const firstFrozen = Math.min(
      ...variables.filter((variable) => !variable.trainable).map((variable) => variable.offset),
    );
    expect(variables.filter((variable) => !variable.trainable).length).toBe(2);
    expect(lastTrainable).toBeLessThan(firstFrozen);
  });
});

describe("one optimizer call per step, the same bits as one call per variable", () => {
  const cases: [string, () => optimizers.Optimizer, string][] = [
    [
      "Adam (AMSGrad, weight decay)",
      () => new optimizers.Adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.01 }),
      "adamUpdate",
    ],
    [
      "SGD (Nesterov momentum)",
      () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      "sgdUpdate",
    ],
    [
      "RMSprop (centered, momentum)",
      () => new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
      "rmspropUpdate",
    ],
    ["Adagrad", () => new optimizers.Adagrad({ learningRate: 0.05 }), "adagradUpdate"],
    ["Adadelta", () => new optimizers.Adadelta({ learningRate: 1 }), "adadeltaUpdate"],
    ["Adamax", () => new optimizers.Adamax({ learningRate: 0.01 }), "adamaxUpdate"],
    ["Nadam", () => new optimizers.Nadam({ learningRate: 0.01 }), "nadamUpdate"],
    ["AdamW with clipvalue", () => new optimizers.AdamW({ learningRate: 0.01, clipvalue: 0.05 }), "adamUpdate"],
    ["Adam with globalClipnorm", () => new optimizers.Adam({ learningRate: 0.01, globalClipnorm: 0.1 }), "adamUpdate"],
    ["SGD with clipnorm", () => new optimizers.SGD({ learningRate: 0.1, clipnorm: 0.05 }), "sgdUpdate"],
  ];
  test.each(cases)("%s", async (_, optimizer, kernel) => {
    const planned = model(optimizer);
    const perVariable = model(optimizer);
    splitIntoOwnBlocks(perVariable);
    const steps = 2 * Math.ceil(40 / 8);
    expect(await countCalls(kernel, () => fitTwoEpochs(planned))).toBe(steps);
    expect(await countCalls(kernel, () => fitTwoEpochs(perVariable))).toBe(steps * 6);
    expectSameBits(weightBits(planned), weightBits(perVariable));
  });

  test("a layer frozen between steps splits the call in two and keeps its weights; thawed, it trains again", async () => {
    const planned = model(() => new optimizers.Adam({ learningRate: 0.01 }));
    const perVariable = model(() => new optimizers.Adam({ learningRate: 0.01 }));
    splitIntoOwnBlocks(perVariable);
    await fitTwoEpochs(planned);
    await fitTwoEpochs(perVariable);
    for (const built of [planned, perVariable]) built.layers[1].trainable = false;
    const frozenBefore = planned.layers[1].getWeights().map((weight) => Array.from(weight.data));
    expect(await countCalls("adamUpdate", () => fitTwoEpochs(planned))).toBe(10 * 2);
    await fitTwoEpochs(perVariable);
    expect(planned.layers[1].getWeights().map((weight) => Array.from(weight.data))).toEqual(frozenBefore);
    for (const built of [planned, perVariable]) built.layers[1].trainable = true;
    expect(await countCalls("adamUpdate", () => fitTwoEpochs(planned))).toBe(10);
    await fitTwoEpochs(perVariable);
    expectSameBits(weightBits(planned), weightBits(perVariable));
  });

  test("excludeFromWeightDecay: excluded biases split the call by decay, and match the per-variable path", async () => {
    const make = () => {
      const adamW = new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.1 });
      adamW.excludeFromWeightDecay({ varNames: ["bias"] });
      return adamW;
    };
    const planned = model(make);
    const perVariable = model(make);
    splitIntoOwnBlocks(perVariable);
    expect(await countCalls("adamUpdate", () => fitTwoEpochs(planned))).toBe(10 * 6);
    await fitTwoEpochs(perVariable);
    expectSameBits(weightBits(planned), weightBits(perVariable));
  });
});

describe("the plan's memory", () => {
  test("compile, fit, re-compile with another optimizer, add a layer, fit, dispose: the allocator is back where it was", async () => {
    const before = getEngine().allocator.bytesInUse;
    const blocksBefore = getEngine().allocator.liveBlocks;
    const built = model(() => new optimizers.Adam());
    await fitTwoEpochs(built);
    built.compile({ optimizer: new optimizers.RMSprop({ momentum: 0.9 }), loss: "sparse_categorical_crossentropy" });
    await fitTwoEpochs(built);
    built.pop().dispose();
    built.add(new layers.Dense(3, { activation: "softmax" }));
    built.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    await fitTwoEpochs(built);
    live.splice(live.indexOf(built), 1);
    built.dispose();
    expect(getEngine().allocator.bytesInUse).toBe(before);
    expect(getEngine().allocator.liveBlocks).toBe(blocksBefore);
  });

  test("a structure change re-plans the block and the optimizer keeps every slot value of the weights it had", async () => {
    const built = model(() => new optimizers.Adam({ learningRate: 0.01 }));
    await fitTwoEpochs(built);
    const kept = variablesOf(built);
    const state = built.optimizer!.getWeights(kept);
    const oldBlock = kept[0].block;
    built.add(new layers.Dense(2));
    built.compile({ optimizer: built.optimizer!, loss: "mse" }); // the model is built: compile makes the new plan
    expect(kept[0].block).not.toBe(oldBlock);
    expect(oldBlock.live).toBe(false);
    expect(variablesOf(built).every((variable) => variable.block === kept[0].block)).toBe(true);
    expect(built.optimizer!.getWeights(kept)).toEqual(state);
    const y = tensor(new Float32Array(80).fill(0.5), [40, 2]);
    built.trainOnBatch(data.x, y);
    expect(built.optimizer!.iterations).toBe(11);
  });
});
