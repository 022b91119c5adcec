// densa/infer as built (dist/densa-infer.js and .cjs): it loads and predicts bit for bit as "densa" does, on
// its own forward-only WebAssembly module, and carries none of the training code.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { Input, init, layers, loadModel, Model, Sequential } from "../../ts/index.js";
import { housing } from "../helpers/keras-housing.js";
import { randomArray } from "../helpers/wasm.js";

const dist = new URL("../../dist/", import.meta.url);
type InferModule = typeof import("../../ts/infer.js");
let esm: InferModule;
let cjs: InferModule;

const modelJson = housing?.modelJson;
const shard = housing?.shard as Uint8Array;

beforeAll(async () => {
  await init();
  esm = await import(/* @vite-ignore */ new URL("densa-infer.js", dist).href);
  cjs = createRequire(import.meta.url)(new URL("densa-infer.cjs", dist).pathname);
});

/** The kernels a forward pass may call, and nothing else. */
/** An entry file with the chunks it imports statically (dist/chunks/: the code it shares with its import() chunks). */
function bundledSource(file: string): string {
  const source = readFileSync(new URL(file, dist), "utf8");
  const chunks = [...source.matchAll(/from\s*["']\.\/(chunks\/[^"']+)["']/g)].map((match) =>
    readFileSync(new URL(match[1], dist), "utf8"),
  );
  return [source, ...chunks].join("\n");
}

/** The kernels densa/infer starts with: a model of Dense layers (build/densa-infer-core.wasm). */
const CORE_EXPORTS = [
  "memory",
  "heapBase",
  "activationForward",
  "activationBackwardNeedsInputFor",
  "denseForward",
  "firstNonFinite",
];

/** The forward kernels of the other layers (build/densa-infer-layers.wasm), loaded with the first of them. */
const LAYER_EXPORTS = [
  "memory",
  "subtractDivideColumns",
  // the merge layers' forwards (Functional models)
  "multiplyElementwise",
  "addElementwise",
  "subtractElementwise",
  "scaleElementwise",
  "extremumElementwise",
  "copyBlocks",
  "rowDot",
  "scaleRows",
  "rowL2Normalize",
  // the single-input layers of issue 9
  "batchNormCoefficients",
  "batchNormForward",
  "layerNormForward",
  "embeddingGather",
  "permuteCopy",
  "repeatRows",
  "scaleShift",
  "reluForward",
  "preluForward",
  "expandByIndex",
  "unitNormForward",
];

const kernelNames = (module: WebAssembly.Module) =>
  WebAssembly.Module.exports(module)
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith("ACTIVATION_"))
    .sort();
const inlinedModule = (source: string) =>
  inflateRawSync(Buffer.from(/wasmDeflated = "([0-9A-Za-z+/=]+)"/.exec(source)![1], "base64"));
const built = (name: string) => readFileSync(new URL(`../../build/${name}.wasm`, import.meta.url));

describe("densa/infer", () => {
  test("exports the inference API only", () => {
    for (const entry of [esm, cjs]) {
      expect(Object.keys(entry).sort()).toEqual(["InferenceModel", "Tensor", "init", "loadModel", "tensor"]);
    }
  });

  test("inlines the forward-only kernels in two parts: the Dense path at start, the other layers' in a chunk", () => {
    const start = bundledSource("densa-infer.js");
    const core = inlinedModule(start);
    expect(core.equals(built("densa-infer-core"))).toBe(true);
    expect(kernelNames(new WebAssembly.Module(core))).toEqual([...CORE_EXPORTS].sort());
    expect(core.byteLength).toBeLessThan(built("densa").byteLength / 2);
    expect(start.match(/wasmDeflated = /g)).toHaveLength(1);

    const layers = inlinedModule(
      readFileSync(new URL("chunks/densa-infer-densa-infer-layers-wasm-inline.js", dist), "utf8"),
    );
    expect(layers.equals(built("densa-infer-layers"))).toBe(true);
    const layersModule = new WebAssembly.Module(layers);
    expect(kernelNames(layersModule)).toEqual([...LAYER_EXPORTS].sort());
    // It works in the core's memory; the whole module (the Workers bundle's) is the two together.
    expect(WebAssembly.Module.imports(layersModule)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    const whole = built("densa-infer");
    expect(readFileSync(new URL("densa-infer.wasm", dist)).equals(whole)).toBe(true);
    expect(kernelNames(new WebAssembly.Module(whole))).toEqual(
      [...new Set([...CORE_EXPORTS, ...LAYER_EXPORTS])].sort(),
    );
  });

  test("the layers' kernels leave the core's static memory alone (asconfig.json: their memoryBase is below it)", () => {
    const asconfig = JSON.parse(readFileSync(new URL("../../asconfig.json", import.meta.url), "utf8"));
    const coreStatic: number = asconfig.targets["infer-core"].memoryBase;
    const core = new WebAssembly.Instance(new WebAssembly.Module(built("densa-infer-core")), {});
    const { memory, heapBase } = core.exports as { memory: WebAssembly.Memory; heapBase: () => number };
    const end = heapBase();
    expect(coreStatic).toBeLessThan(end);
    const bytes = new Uint8Array(memory.buffer);
    bytes.fill(0xa5, coreStatic, end);
    const layers = new WebAssembly.Instance(new WebAssembly.Module(built("densa-infer-layers")), { env: { memory } });
    // Permute (the one kernel with static data) of 2 samples [2, 3, 2] → [2, 2, 3] (out[a, b, c] = x[a, c, b]),
    // its plan and data above heapBase; the reference is the plain loop.
    new Int32Array(memory.buffer, end, 6).set([2, 2, 3, 6, 1, 2]); // outShape, then x's strides along those axes
    new Float32Array(memory.buffer, end + 64, 24).forEach((_, i, x) => {
      x[i] = i;
    });
    (layers.exports.permuteCopy as (...args: number[]) => void)(2, 3, 12, end, end + 12, end + 64, end + 256);
    const expected: number[] = [];
    for (let r = 0; r < 2; r++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expected.push(r * 12 + a * 6 + c * 2 + b);
    expect([...new Float32Array(memory.buffer, end + 256, 24)]).toEqual(expected);
    expect(bytes.subarray(coreStatic, end).every((byte) => byte === 0xa5)).toBe(true);
  });

  test("carries none of the training code", () => {
    const source = bundledSource("densa-infer.js");
    for (const name of [
      "class Trainer",
      "class Sequential ",
      "fitArrays",
      "class Optimizer",
      "class Loss",
      "class CallbackList",
      "class EarlyStopping",
      "kerasTrainingConfig",
    ]) {
      expect(source.includes(name), name).toBe(false);
    }
  });

  // NOTE: first in this file to load a layer beyond Dense, so the layers' kernels arrive while a model is loaded.
  test("adds the other layers' kernels to a running engine: models loaded before and after predict as densa does", async () => {
    const dense = new Sequential([new layers.Dense(5, { inputShape: [6], activation: "tanh" }), new layers.Dense(3)]);
    // Permute's kernel keeps static data (its odometer) in the memory below the Dense kernel's (the zeros a Dense
    // without bias starts from): both must hold.
    const mixed = new Sequential([
      new layers.Embedding(9, 4, { inputShape: [6] }),
      new layers.Permute([2, 1]),
      new layers.Flatten(),
      new layers.Dense(7, { activation: "relu", biasInitializer: "randomNormal" }),
      new layers.Dense(3, { useBias: false }),
    ]);
    const x = Float32Array.from(randomArray(11 * 6, 8, 0, 9), Math.floor);
    const rows = [...Array(11)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)]);
    const [denseArtifacts, mixedArtifacts] = [await dense.save(), await mixed.save()];
    for (const entry of [esm, cjs]) {
      const first = await entry.loadModel(denseArtifacts);
      const before = first.predict(entry.tensor(x, [11, 6])).data;
      expect(before).toEqual(dense.predict(rows).data);
      const second = await entry.loadModel(mixedArtifacts);
      expect(second.predict(entry.tensor(x, [11, 6])).data).toEqual(mixed.predict(rows).data);
      expect(second.predict(entry.tensor(x.slice(0, 6), [1, 6])).data).toEqual(mixed.predict([rows[0]]).data);
      expect(first.predict(entry.tensor(x, [11, 6])).data).toEqual(before);
      first.dispose();
      second.dispose();
    }
    dense.dispose();
    mixed.dispose();
  });

  test.skipIf(!housing)("predicts the Keras model bit for bit as densa does", async () => {
    for (const entry of [esm, cjs]) {
      const model = await entry.loadModel({ modelJson, weights: shard });
      const full = await loadModel({ modelJson, weights: shard });
      const x = randomArray(50 * 4, 3, -2, 2);
      const input = entry.tensor(x, [50, 4]);
      expect(model.predict(input).data).toEqual(
        full.predict([...Array(50)].map((_, i) => [...x.subarray(i * 4, i * 4 + 4)])).data,
      );
      expect("fit" in model).toBe(false);
      model.dispose();
      full.dispose();
    }
  });

  test("predicts every activation and layer class bit for bit as densa does", async () => {
    const activations = [
      "linear",
      "relu",
      "relu6",
      "elu",
      "selu",
      "sigmoid",
      "hard_sigmoid",
      "tanh",
      "softplus",
      "softsign",
      "swish",
      "mish",
      "gelu",
      "gelu_new",
      "leaky_relu",
      "exponential",
      "softmax",
      "log_softmax",
    ];
    const normalization = new layers.Normalization({
      inputShape: [6],
      mean: [0, 1, 2, 3, 4, 5],
      variance: [1, 2, 3, 4, 5, 6],
    });
    const model = new Sequential([
      normalization,
      ...activations.map((activation) => new layers.Dense(6, { activation, biasInitializer: "randomNormal" })),
      new layers.Dropout(0.5),
      new layers.Activation("tanh"),
      new layers.Flatten(),
    ]);
    const artifacts = await model.save();
    const loaded = await esm.loadModel(artifacts);
    const x = randomArray(40 * 6, 4, -1, 1);
    expect(loaded.predict(esm.tensor(x, [40, 6])).data).toEqual(
      model.predict([...Array(40)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)])).data,
    );
    loaded.dispose();
    model.dispose();
  });

  test("predicts every single-input layer of issue 9 bit for bit as densa does (seeded noise layers need no random kernels)", async () => {
    const seeded = (seed: number) => ({ className: "RandomUniform", config: { minval: 0.2, maxval: 1.5, seed } });
    const model = new Sequential([
      new layers.Embedding(9, 4, { inputShape: [6] }),
      new layers.BatchNormalization({
        movingVarianceInitializer: seeded(1),
        gammaInitializer: seeded(2),
        movingMeanInitializer: seeded(3),
      }),
      new layers.LayerNormalization({ gammaInitializer: seeded(4) }),
      new layers.Permute([2, 1]),
      new layers.Reshape([-1]),
      new layers.Rescaling(2, { offset: -0.5 }),
      new layers.GaussianNoise(0.3, { seed: 1 }),
      new layers.GaussianDropout(0.3, { seed: 2 }),
      new layers.AlphaDropout(0.2, { seed: 3 }),
      new layers.ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }),
      new layers.Identity(),
      new layers.ActivityRegularization({ l2: 0.1 }),
      new layers.Reshape([4, 6]),
      new layers.PReLU({ sharedAxes: [1], alphaInitializer: seeded(5) }),
      new layers.UnitNormalization(),
      new layers.LeakyReLU(),
      new layers.ELU({ alpha: 0.5 }),
      new layers.Flatten(),
      new layers.RepeatVector(2),
      new layers.Softmax(),
    ]);
    const artifacts = await model.save();
    const x = Float32Array.from(randomArray(9 * 6, 6, 0, 9), Math.floor);
    const expected = model.predict([...Array(9)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)])).data;
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.predict(entry.tensor(x, [9, 6])).data).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("loads and runs a model with a seeded Dropout (its generator is made only when training needs it)", async () => {
    const model = new Sequential([
      new layers.Dense(5, { inputShape: [3], activation: "relu", biasInitializer: "randomNormal" }),
      new layers.Dropout({ rate: 0.3, seed: 11 }),
      new layers.Dense(2),
    ]);
    const artifacts = await model.save();
    const x = randomArray(7 * 3, 5, -1, 1);
    const expected = model.predict([...Array(7)].map((_, i) => [...x.subarray(i * 3, i * 3 + 3)])).data;
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.predict(entry.tensor(x, [7, 3])).data).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("loads a Functional model (its code arrives with it) and one nested in a Sequential, as densa has them", async () => {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [2], name: "b" });
    const joined = new layers.Concatenate().apply([new layers.Dense(4, { activation: "relu" }).apply(a), b]);
    const functional = new Model({ inputs: [a, b], outputs: new layers.Dense(2).apply(joined) });
    const inner = Input({ shape: [3] });
    const nestedPart = new Model({ inputs: inner, outputs: new layers.Dense(3, { activation: "tanh" }).apply(inner) });
    const outer = new Sequential([new layers.Dense(3, { inputShape: [3] }), nestedPart, new layers.Dense(1)]);
    const xa = randomArray(5 * 3, 9, -1, 1);
    const xb = randomArray(5 * 2, 10, -1, 1);
    const rowsOf = (x: Float32Array, width: number) =>
      [...Array(5)].map((_, i) => [...x.subarray(i * width, i * width + width)]);
    const [functionalArtifacts, outerArtifacts] = [await functional.save(), await outer.save()];
    const lines = (model: { summary(print: (line: string) => void): void }) => {
      const printed: string[] = [];
      model.summary((line) => printed.push(line));
      return printed;
    };
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(functionalArtifacts);
      const out = loaded.predict<InstanceType<typeof entry.Tensor>>([
        entry.tensor(xa, [5, 3]),
        entry.tensor(xb, [5, 2]),
      ]);
      expect(out.data).toEqual(functional.predict([rowsOf(xa, 3), rowsOf(xb, 2)]).data);
      expect(loaded.getConfig()).toEqual(functional.getConfig());
      expect(lines(loaded)).toEqual(lines(functional));
      const nested = await entry.loadModel(outerArtifacts);
      expect(nested.predict(entry.tensor(xa, [5, 3])).data).toEqual(outer.predict(rowsOf(xa, 3)).data);
      expect(lines(nested)).toEqual(lines(outer));
      loaded.dispose();
      nested.dispose();
    }
    functional.dispose();
    outer.dispose();
  });

  test("keeps every initializer, regularizer and constraint in getConfig as densa does (its forward-only stand-ins)", async () => {
    const model = new Sequential([
      new layers.Dense(4, {
        inputShape: [3],
        kernelInitializer: { className: "HeNormal", config: { seed: 3 } },
        biasInitializer: "ones",
        kernelRegularizer: "l1l2",
        biasRegularizer: { className: "L2", config: { l2: 0.5 } },
        activityRegularizer: "l1",
        kernelConstraint: { className: "MaxNorm", config: { maxValue: 3, axis: 0 } },
        biasConstraint: "nonNeg",
      }),
      new layers.BatchNormalization({
        gammaConstraint: "unitNorm",
        betaRegularizer: "l2",
        movingVarianceInitializer: "ones",
      }),
      new layers.Dense(2, { kernelInitializer: "orthogonal", kernelConstraint: "max_norm" }),
    ]);
    const artifacts = await model.save();
    const expected = model.getConfig().layers.map((layer) => layer.config);
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.getConfig().layers.map((layer) => layer.config)).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("refuses an unknown initializer or constraint in a file, as densa does", async () => {
    const model = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
    const artifacts = await model.save();
    model.dispose();
    const edited = (key: string, value: unknown) => {
      const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
      topology.model_config.config.layers[0].config[key] = value;
      return { ...artifacts, modelTopology: topology };
    };
    for (const [key, value, message] of [
      ["kernel_initializer", { class_name: "NoSuchInit", config: {} }, /unknown initializer/],
      ["kernel_constraint", { class_name: "NoSuchConstraint", config: {} }, /unknown constraint/],
    ] as const) {
      const expectedError = await loadModel(edited(key, value)).then(
        () => "loaded",
        (error: Error) => error.message,
      );
      expect(expectedError).toMatch(message);
      for (const entry of [esm, cjs]) await expect(entry.loadModel(edited(key, value))).rejects.toThrow(expectedError);
    }
  });

  test("refuses what densa refuses, with the same error", async () => {
    const conv = JSON.parse(JSON.stringify(modelJson));
    conv.modelTopology.model_config.config.layers[0].class_name = "LSTM";
    await expect(esm.loadModel({ modelJson: conv, weights: shard })).rejects.toThrow(
      /densa cannot run layer class "LSTM"/,
    );
  });
});
