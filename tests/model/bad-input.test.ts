// "Every public function validates its arguments … and throws an Error that names the argument, what was
// expected and what came, before changing any state. A test runs at least 30 such cases and then checks that
// the model predicts exactly as before and still trains."
// Each case lists the pieces its message must hold: the function (and argument), the expectation, what came.
// After every case: the model's weights, the engine allocator's counters and the optimizer's step count are
// unchanged (nothing leaked, nothing trained); at the end predictions are bit-identical and fit still learns.
import { beforeAll, describe, expect, it } from "vitest";
import {
  callbacks,
  constraints,
  init,
  initializers,
  layers,
  losses,
  metrics,
  optimizers,
  regularizers,
  Sequential,
  setRandomSeed,
  type Tensor,
  tensor,
} from "../../ts/index.js";
import { bitsOf, expectSameBits, toyClassification, wasmUsage, weightBits } from "../helpers/model-fixtures.js";

interface Case {
  name: string;
  call: () => unknown;
  /** Substrings (or patterns) the message must contain: function / argument, expectation, what came. */
  says: (string | RegExp)[];
}

const data = toyClassification(40, 4, 3, 31);
const x = data.x;
const y = data.y;
let model: Sequential;
let uncompiled: Sequential;
let disposed: Sequential;
let probe: Tensor;

beforeAll(async () => {
  await init();
  setRandomSeed(3);
  model = new Sequential([
    new layers.Dense(6, { activation: "relu", inputShape: [4] }),
    new layers.Dropout(0.2),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  // Use every path once, so that its buffers exist before the baseline is taken.
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.25 });
  await model.evaluate(x, y, { verbose: 0 });
  model.trainOnBatch(x, y);
  probe = tensor(
    Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)),
    [10, 4],
  );
  model.predict(probe);
  uncompiled = new Sequential([new layers.Dense(2, { inputShape: [4] })]);
  disposed = new Sequential([new layers.Dense(2, { inputShape: [4] })]);
  disposed.dispose();
});

const ragged = [
  [1, 2, 3, 4],
  [1, 2, 3],
];
const withNaN = [
  [1, 2, 3, 4],
  [1, NaN, 3, 4],
];

const cases: Case[] = [
  // ── layer constructors ──
  { name: "Dense units 0", call: () => new layers.Dense(0), says: ["Dense", "units", "positive integer", "got 0"] },
  {
    name: "Dense units as a string",
    call: () => new layers.Dense("8" as never),
    says: ["Dense", "units", 'got string "8"'],
  },
  {
    name: "Dense unknown activation",
    call: () => new layers.Dense(3, { activation: "relux" }),
    says: ["Dense: activation", '"relux"', "relu, sigmoid"],
  },
  {
    name: "Dense misspelt option",
    call: () => new layers.Dense(3, { activaton: "relu" } as never),
    says: ["Dense", '"activaton"', 'did you mean "activation"', '"useBias"'],
  },
  {
    name: "Dense unknown initializer",
    call: () => new layers.Dense(3, { kernelInitializer: "glorot" }),
    says: ["Dense: kernelInitializer", '"glorot"', "glorotUniform"],
  },
  {
    name: "Dense bad inputShape",
    call: () => new layers.Dense(3, { inputShape: [0] }),
    says: ["Dense", "inputShape", "positive integers", "[0]"],
  },
  {
    name: "Dense useBias not boolean",
    call: () => new layers.Dense(3, { useBias: "yes" as never }),
    says: ["Dense", "useBias", "true or false", 'string "yes"'],
  },
  {
    name: "Dense trainable not boolean",
    call: () => new layers.Dense(3, { trainable: 1 as never }),
    says: ["Dense", "trainable", "true or false", "got 1"],
  },
  { name: "Dropout rate 1.5", call: () => new layers.Dropout(1.5), says: ["Dropout", "rate", "[0, 1)", "got 1.5"] },
  {
    name: "Dropout negative seed",
    call: () => new layers.Dropout(0.5, { seed: -1 }),
    says: ["Dropout: seed", "non-negative integer", "got -1"],
  },
  {
    name: "Activation unknown name",
    call: () => new layers.Activation("rel"),
    says: ["Activation: activation", '"rel"', "relu"],
  },
  {
    name: "Normalization axis",
    call: () => new layers.Normalization({ axis: 0 }),
    says: ["Normalization", "axis -1", "got 0"],
  },
  {
    name: "Normalization.adapt NaN",
    call: () => new layers.Normalization().adapt([[1, NaN]]),
    says: ["Normalization.adapt", "finite", "NaN"],
  },
  { name: "Input without shape", call: () => layers.Input({} as never), says: ["InputLayer", "shape", "got none"] },
  // ── optimizers, losses, metrics, initializers, regularizers, constraints ──
  {
    name: "Adam negative learningRate",
    call: () => new optimizers.Adam({ learningRate: -1 }),
    says: ["Adam: learningRate", ">= 0", "got -1"],
  },
  {
    name: "Adam snake_case option",
    call: () => new optimizers.Adam({ learning_rate: 0.1 } as never),
    says: ["Adam", '"learning_rate"', 'did you mean "learningRate"'],
  },
  {
    name: "SGD momentum not a number",
    call: () => new optimizers.SGD({ momentum: "x" as never }),
    says: ["SGD: momentum", "finite number", 'string "x"'],
  },
  {
    name: "RMSprop clipnorm 0",
    call: () => new optimizers.RMSprop({ clipnorm: 0 }),
    says: ["RMSprop: clipnorm", "> 0", "got 0"],
  },
  {
    name: "BinaryCrossentropy labelSmoothing 2",
    call: () => new losses.BinaryCrossentropy({ labelSmoothing: 2 }),
    says: ["BinaryCrossentropy", "labelSmoothing", "[0, 1]", "got 2"],
  },
  {
    name: "MeanSquaredError from_logits",
    call: () => new losses.MeanSquaredError({ from_logits: true } as never),
    says: ["MeanSquaredError", '"from_logits"', '"fromLogits"'],
  },
  {
    name: "metrics.precision thresholds 2",
    call: () => metrics.precision({ thresholds: 2 }),
    says: ["Precision", "thresholds", "[0, 1]", "got 2"],
  },
  {
    name: "metrics.auc numThresholds 1",
    call: () => metrics.auc({ numThresholds: 1 }),
    says: ["AUC", "numThresholds", "> 1", "got 1"],
  },
  {
    name: "RandomUniform maxval < minval",
    call: () => new initializers.RandomUniform({ minval: 1, maxval: 0 }),
    says: ["randomUniform", "maxval", ">= minval", "minval 1 and maxval 0"],
  },
  {
    name: "RandomNormal misspelt option",
    call: () => new initializers.RandomNormal({ std: 1 } as never),
    says: ["RandomNormal", '"std"', '"stddev"'],
  },
  {
    name: "VarianceScaling mode",
    call: () => new initializers.VarianceScaling({ mode: "fan_sideways" }),
    says: ["varianceScaling", "mode", "fan_in", "fan_sideways"],
  },
  { name: "L1L2 negative l1", call: () => new regularizers.L1L2({ l1: -1 }), says: ["L1L2", "l1", ">= 0", "got -1"] },
  { name: "regularizers.l2 NaN", call: () => regularizers.l2(NaN), says: ["regularizers.l2", "l2", "finite", "NaN"] },
  {
    name: "MaxNorm maxValue",
    call: () => new constraints.MaxNorm({ maxValue: -1 }),
    says: ["maxNorm: maxValue", "> 0", "got -1"],
  },
  {
    name: "unknown constraint name",
    call: () => new layers.Dense(2, { kernelConstraint: "positive" as never }),
    says: ["Dense: kernelConstraint", '"positive"', '"nonNeg"'],
  },
  // ── callbacks ──
  {
    name: "EarlyStopping patience -1",
    call: () => new callbacks.EarlyStopping({ patience: -1 }),
    says: ["EarlyStopping", "patience", "non-negative integer", "got -1"],
  },
  {
    name: "EarlyStopping misspelt option",
    call: () => new callbacks.EarlyStopping({ monitr: "loss" } as never),
    says: ["EarlyStopping", '"monitr"', '"monitor"'],
  },
  {
    name: "EarlyStopping mode",
    call: () => new callbacks.EarlyStopping({ mode: "up" as never }),
    says: ["EarlyStopping", "mode", '"min"', '"up"'],
  },
  {
    name: "ReduceLROnPlateau factor",
    call: () => new callbacks.ReduceLROnPlateau({ factor: 2 }),
    says: ["ReduceLROnPlateau", "factor", "(0, 1)", "got 2"],
  },
  {
    name: "LambdaCallback hook",
    call: () => new callbacks.LambdaCallback({ onEpochEnd: 5 as never }),
    says: ["LambdaCallback", "onEpochEnd", "function", "got 5"],
  },
  // ── compile ──
  {
    name: "compile unknown optimizer",
    call: () => model.compile({ optimizer: "adamm", loss: "mse" }),
    says: ["compile: optimizer", '"adamm"', "sgd, adam"],
  },
  {
    name: "compile unknown loss",
    call: () => model.compile({ optimizer: "sgd", loss: "msee" }),
    says: ["compile: loss", '"msee"', "mean_squared_error"],
  },
  {
    name: "compile unknown metric",
    call: () => model.compile({ optimizer: "sgd", loss: "mse", metrics: ["acc2"] }),
    says: ["compile: metrics", '"acc2"', "accuracy"],
  },
  {
    name: "compile metrics not an array",
    call: () => model.compile({ optimizer: "sgd", loss: "mse", metrics: "mae" as never }),
    says: ["compile: metrics", "array", 'string "mae"'],
  },
  {
    name: "compile misspelt key",
    call: () => model.compile({ optimizer: "sgd", loss: "mse", metric: ["mae"] } as never),
    says: ["compile", '"metric"', '"metrics"'],
  },
  {
    name: "compile with nothing",
    call: () => model.compile(undefined as never),
    says: ["compile", "{ optimizer, loss, metrics }", "got undefined"],
  },
  // ── fit: data ──
  {
    name: "fit before compile",
    call: () => uncompiled.fit(x, [[0, 1]]),
    says: ["fit", "compiled first", "model.compile"],
  },
  { name: "fit without y", call: () => model.fit(x), says: ["fit", "y is missing", "fit(x, y, options)"] },
  {
    name: "fit wrong feature count",
    call: () => model.fit([[1, 2, 3]], [0]),
    says: ["fit", "x has 3 features", "input shape is [4]"],
  },
  {
    name: "fit ragged x",
    call: () => model.fit(ragged, [0, 1]),
    says: ["fit", "x is ragged", "x[1] has 3", "x[0] has 4"],
  },
  { name: "fit NaN in x", call: () => model.fit(withNaN, [0, 1]), says: ["fit", "x[1][1] is NaN", "finite number"] },
  {
    name: "fit Infinity in y",
    call: () => model.fit(x, [...y.slice(0, 39), Infinity]),
    says: ["fit", "y[39]", "Infinity", "finite"],
  },
  {
    name: "fit a string in x",
    call: () => model.fit([[1, 2, "3", 4]], [0]),
    says: ["fit", "x[0][2]", "a number", 'string "3"'],
  },
  {
    name: "fit x not data",
    call: () => model.fit("data" as never, y),
    says: ["fit: x", "Tensor, a nested array of numbers", 'string "data"'],
  },
  { name: "fit empty x", call: () => model.fit([], []), says: ["fit", "x is empty", "at least one sample"] },
  {
    name: "fit sample counts differ",
    call: () => model.fit(x, y.slice(0, 30)),
    says: ["fit", "x has 40 samples but y has 30", "same number"],
  },
  {
    name: "fit label out of range",
    call: () => model.fit(x, [...y.slice(0, 39), 3]),
    says: ["fit", "y[39] is 3", "integer labels in [0, 2]"],
  },
  { name: "fit negative label", call: () => model.fit(x, [-1, ...y.slice(1)]), says: ["fit", "y[0] is -1", "[0, 2]"] },
  {
    name: "fit fractional label",
    call: () => model.fit(x, [0.5, ...y.slice(1)]),
    says: ["fit", "y[0] is 0.5", "integer labels"],
  },
  {
    name: "fit sampleWeight length",
    call: () => model.fit(x, y, { sampleWeight: [1, 2] }),
    says: ["fit", "sampleWeight has 2", "x has 40 samples"],
  },
  {
    name: "fit negative sampleWeight",
    call: () => model.fit(x, y, { sampleWeight: y.map(() => -1) }),
    says: ["fit", "weight of sample 0 is -1", ">= 0"],
  },
  {
    name: "fit classWeight key",
    call: () => model.fit(x, y, { classWeight: { one: 2 } as never }),
    says: ["fit", "classWeight keys", "non-negative integers", 'string "one"'],
  },
  {
    name: "fit classWeight value",
    call: () => model.fit(x, y, { classWeight: { 0: -2 } }),
    says: ["fit", "classWeight[0]", ">= 0", "got -2"],
  },
  {
    name: "fit validationData features",
    call: () => model.fit(x, y, { validationData: [[[1, 2]], [0]] }),
    says: ["fit", "validationData[0] has 2 features", "[4]"],
  },
  {
    name: "fit validationData labels",
    call: () => model.fit(x, y, { validationData: [x, y.map(() => 7)] }),
    says: ["fit", "validationData[1][0] is 7", "[0, 2]"],
  },
  {
    name: "fit validationData shape",
    call: () => model.fit(x, y, { validationData: [x] as never }),
    says: ["fit", "validationData", "[xVal, yVal]", "array of length 1"],
  },
  {
    name: "fit bad data set batch",
    call: () => model.fit([{ x: [[1, 2, 3, 4]], y: [5] }], { verbose: 0 }),
    says: ["fit", "batch 0 y[0] is 5", "[0, 2]"],
  },
  // ── fit: options ──
  {
    name: "fit batchSize 0",
    call: () => model.fit(x, y, { batchSize: 0 }),
    says: ["fit", "batchSize", "positive integer", "got 0"],
  },
  {
    name: "fit batchSize 2.5",
    call: () => model.fit(x, y, { batchSize: 2.5 }),
    says: ["fit", "batchSize", "positive integer", "got 2.5"],
  },
  {
    name: "fit epochs -1",
    call: () => model.fit(x, y, { epochs: -1 }),
    says: ["fit", "epochs", "non-negative integer", "got -1"],
  },
  {
    name: "fit validationSplit 1",
    call: () => model.fit(x, y, { validationSplit: 1 }),
    says: ["fit", "validationSplit", "[0, 1)", "got 1"],
  },
  {
    name: "fit validationSplit leaves nothing",
    call: () => model.fit([[1, 2, 3, 4]], [0], { validationSplit: 0.5 }),
    says: ["fit", "validationSplit 0.5 of 1 samples", "no training"],
  },
  {
    name: "fit batch_size",
    call: () => model.fit(x, y, { batch_size: 8 } as never),
    says: ["fit", '"batch_size"', 'did you mean "batchSize"', '"epochs"'],
  },
  {
    name: "fit shuffle",
    call: () => model.fit(x, y, { shuffle: "yes" as never }),
    says: ["fit", "shuffle", 'true, false or "batch"', 'string "yes"'],
  },
  {
    name: "fit verbose 3",
    call: () => model.fit(x, y, { verbose: 3 as never }),
    says: ["fit", "verbose", '0, 1, 2, "auto"', "got 3"],
  },
  {
    name: "fit callbacks entry",
    call: () => model.fit(x, y, { callbacks: [{}] as never }),
    says: ["fit", "callbacks[0]", "Callback", "an object"],
  },
  {
    name: "fit initialEpoch",
    call: () => model.fit(x, y, { initialEpoch: -1 }),
    says: ["fit", "initialEpoch", "non-negative integer", "got -1"],
  },
  {
    name: "fit stepsPerEpoch",
    call: () => model.fit(x, y, { stepsPerEpoch: 0 }),
    says: ["fit", "stepsPerEpoch", "positive integer", "got 0"],
  },
  {
    name: "fit validationFreq",
    call: () => model.fit(x, y, { validationFreq: 0 }),
    says: ["fit", "validationFreq", "positive integer", "got 0"],
  },
  {
    name: "fit seed",
    call: () => model.fit(x, y, { seed: -3 }),
    says: ["fit", "seed", "non-negative integer", "got -3"],
  },
  {
    name: "fit options not an object",
    call: () => model.fit(x, y, 5 as never),
    says: ["fit", "options", "an object", "got 5"],
  },
  // ── evaluate, predict, trainOnBatch ──
  {
    name: "evaluate before compile",
    call: () => uncompiled.evaluate(x, [[0, 1]]),
    says: ["evaluate", "compiled first"],
  },
  {
    name: "evaluate sample counts",
    call: () => model.evaluate(x, [0, 1]),
    says: ["evaluate", "x has 40 samples but y has 2"],
  },
  {
    name: "evaluate batchSize",
    call: () => model.evaluate(x, y, { batchSize: 1.5 }),
    says: ["evaluate", "batchSize", "positive integer", "got 1.5"],
  },
  {
    name: "evaluate NaN sampleWeight",
    call: () => model.evaluate(x, y, { sampleWeight: y.map((_, i) => (i === 2 ? NaN : 1)) }),
    says: ["evaluate", "sampleWeight[2] is NaN", "finite"],
  },
  { name: "predict wrong features", call: () => model.predict([[1, 2]]), says: ["predict", "x has 2 features", "[4]"] },
  { name: "predict NaN", call: () => model.predict(withNaN), says: ["predict", "x[1][1] is NaN", "finite"] },
  { name: "predict ragged", call: () => model.predict(ragged), says: ["predict", "ragged", "x[1] has 3"] },
  { name: "predict empty", call: () => model.predict([]), says: ["predict", "x is empty", "at least one sample"] },
  {
    name: "predict not data",
    call: () => model.predict({ x: 1 } as never),
    says: ["predict: x", "Tensor", "an object"],
  },
  {
    name: "predict batchSize",
    call: () => model.predict(x, { batchSize: -1 }),
    says: ["predict", "batchSize", "positive integer", "got -1"],
  },
  {
    name: "predict on a disposed model",
    call: () => disposed.predict(x),
    says: ["predict", `"${"sequential"}`, "disposed"],
  },
  {
    name: "trainOnBatch label",
    call: () => model.trainOnBatch([[1, 2, 3, 4]], [3]),
    says: ["trainOnBatch", "y[0] is 3", "[0, 2]"],
  },
  {
    name: "trainOnBatch features",
    call: () => model.trainOnBatch([[1, 2]], [0]),
    says: ["trainOnBatch", "x has 2 features", "[4]"],
  },
  {
    name: "trainOnBatch sampleWeight",
    call: () => model.trainOnBatch(x, y, { sampleWeight: [1] }),
    says: ["trainOnBatch", "sampleWeight has 1", "40 samples"],
  },
  // ── weights and structure ──
  {
    name: "setWeights count",
    call: () => model.setWeights([]),
    says: ["setWeights", "expected 4 tensors", "[4, 6]", "got 0"],
  },
  {
    name: "setWeights shape",
    call: () => model.setWeights(model.getWeights().map((w, i) => (i === 2 ? tensor([[1]]) : w))),
    says: ["setWeights", "weight 2", "[6, 3]", "got [1, 1]"],
  },
  {
    name: "setWeights NaN",
    call: () =>
      model.setWeights(model.getWeights().map((w, i) => (i === 1 ? tensor(new Float32Array(6).fill(NaN), [6]) : w))),
    says: ["setWeights", "weight 1", "non-finite", "NaN"],
  },
  {
    name: "setWeights plain arrays",
    call: () => model.setWeights(model.getWeights().map((w) => w.toArray()) as never),
    says: ["setWeights", "weight 0", "[4, 6]", "an array of length 4"],
  },
  { name: "add a non-layer", call: () => model.add({} as never), says: ["add", "a layer", "an object"] },
  {
    name: "add a duplicate name",
    call: () => model.add(new layers.Dense(2, { name: model.layers[0].name })),
    says: ["add", `"${"dense"}`, "unique"],
  },
  {
    name: "add a mismatched inputShape",
    call: () => model.add(new layers.Dense(2, { inputShape: [7] })),
    says: ["add", "input shape [7]", "shape [3]"],
  },
  { name: "pop an empty model", call: () => new Sequential().pop(), says: ["pop", "no layers"] },
  { name: "build a different shape", call: () => model.build([5]), says: ["build", "[5]", "[4]"] },
  {
    name: "Sequential layers not an array",
    call: () => new Sequential("dense" as never),
    says: ["Sequential", "layers", "array", "string"],
  },
  // ── tensor() and setRandomSeed ──
  {
    name: "tensor ragged",
    call: () => tensor([[1, 2], [3]]),
    says: ["tensor", "ragged", "values[1] has 1", "values[0] has 2"],
  },
  {
    name: "tensor shape mismatch",
    call: () => tensor([1, 2, 3], [2, 2]),
    says: ["tensor", "shape [2, 2]", "4 values", "has 3"],
  },
  {
    name: "tensor non-number",
    call: () => tensor(["a"] as never),
    says: ["tensor", "values[0]", "a number", 'string "a"'],
  },
  {
    name: "tensor negative dim",
    call: () => tensor([1, 2], [-2]),
    says: ["tensor", "shape[0]", "non-negative integer", "got -2"],
  },
  {
    name: "tensor of an object",
    call: () => tensor({} as never),
    says: ["tensor", "values", "nested) array of numbers", "an object"],
  },
  {
    name: "setRandomSeed",
    call: () => setRandomSeed(-1),
    says: ["setRandomSeed", "seed", "non-negative integer", "got -1"],
  },
];

/** Runs `call`, which must throw (synchronously or by rejecting) an Error; returns it. */
async function thrown(call: () => unknown, name = "the call"): Promise<Error> {
  let result: unknown;
  try {
    result = call();
    if (result instanceof Promise) await result;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error(`${name}: expected an Error, but the call returned ${String(result)}`);
}

describe("bad input", () => {
  it(`runs ${cases.length} bad calls: each throws a clear Error and leaves model, memory and optimizer untouched`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const weights = weightBits(model);
    const predictions = bitsOf(model.predict(probe).data).slice();
    const usage = wasmUsage();
    const optimizer = model.optimizer!;
    const iterations = optimizer.iterations;
    const metricNames = model.metricsNames;
    const layerNames = model.layers.map((layer) => layer.name);
    const lossName = model.loss!.lossName;
    for (const { name, call, says } of cases) {
      const error = await thrown(call, name);
      for (const part of says) {
        if (typeof part === "string") expect(error.message, `${name}: ${error.message}`).toContain(part);
        else expect(error.message, `${name}: ${error.message}`).toMatch(part);
      }
      // Nothing changed: same weights, same wasm memory, no optimizer step, same compile settings.
      expectSameBits(weightBits(model), weights);
      expect(wasmUsage(), name).toEqual(usage);
      expect(model.optimizer, name).toBe(optimizer);
      expect(optimizer.iterations, name).toBe(iterations);
      expect(model.metricsNames, name).toEqual(metricNames);
      expect(model.loss!.lossName, name).toBe(lossName);
      expect(
        model.layers.map((layer) => layer.name),
        name,
      ).toEqual(layerNames);
    }
    // The model predicts exactly as before…
    expectSameBits(bitsOf(model.predict(probe).data), predictions);
    // …and still trains.
    const before = (await model.evaluate(x, y, { verbose: 0 })).loss;
    const history = await model.fit(x, y, { epochs: 30, batchSize: 8, verbose: 0, seed: 1 });
    const after = (await model.evaluate(x, y, { verbose: 0 })).loss;
    expect(history.history.loss[29]).toBeLessThan(history.history.loss[0]);
    expect(after).toBeLessThan(before * 0.9);
  });

  it("a failing first call does not build an unbuilt model (no weights drawn, no memory taken)", async () => {
    const fresh = (seed: number) => {
      setRandomSeed(seed);
      const m = new Sequential([
        new layers.Dense(5, { activation: "relu" }),
        new layers.Dense(3, { activation: "softmax" }),
      ]);
      m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      return m;
    };
    const reference = fresh(77);
    reference.build([4]);
    const expected = weightBits(reference);
    reference.dispose();

    const m = fresh(77);
    const usage = wasmUsage();
    const failing: Case[] = [
      { name: "fit with a bad label", call: () => m.fit(x, [...y.slice(0, 39), 9]), says: ["fit", "y[39] is 9"] },
      {
        name: "fit with bad validation data",
        call: () => m.fit(x, y, { validationData: [x, y.map(() => -1)] }),
        says: ["validationData[1][0] is -1"],
      },
      { name: "fit on a bad data set", call: () => m.fit([[x, y.map(() => 4)]], {}), says: ["batch 0 y[0] is 4"] },
      {
        name: "evaluate with a bad label",
        call: () =>
          m.evaluate(
            x,
            y.map(() => 3),
          ),
        says: ["evaluate", "y[0] is 3"],
      },
      {
        name: "trainOnBatch with too few labels",
        call: () => m.trainOnBatch(x, [0]),
        says: ["trainOnBatch", "40 samples but y has 1"],
      },
      {
        name: "fit with a shape Dense cannot take",
        call: () =>
          m.fit(
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
            [0],
          ),
        says: ["Dense expects one feature axis", "[2, 2]"],
      },
    ];
    for (const { name, call, says } of failing) {
      const error = await thrown(call, name);
      for (const part of says) expect(error.message, name).toContain(part as string);
      expect(m.built, name).toBe(false);
      expect(wasmUsage(), name).toEqual(usage);
    }
    // The generator was not touched either: building now draws the same weights as without the failures.
    m.build([4]);
    expectSameBits(weightBits(m), expected);
    m.dispose();
  });

  it("messages name every bad value of a kind by its position (not only the first kind of problem)", async () => {
    const messages = await Promise.all(
      [
        () =>
          model.fit(
            [
              [1, 2, 3, 4],
              [5, 6, 7, Number.NEGATIVE_INFINITY],
            ],
            [0, 1],
          ),
        () => model.fit(tensor(Float32Array.of(1, 2, 3, 4, 5, 6, 7, NaN), [2, 4]), [0, 1]),
      ].map(async (call) => (await thrown(call)).message),
    );
    expect(messages[0]).toContain("x[1][3] is -Infinity");
    expect(messages[1]).toContain("x[1][3] is NaN");
  });
});
