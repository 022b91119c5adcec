// A model of several outputs used as a layer (`trunk.apply(x)` gives one tensor per output), against the same
// tf.models in @tensorflow/tfjs: both outputs read; an outer model of two outputs; one output left unread (its
// head gets zero gradients, as tfjs gives it none); the trunk applied twice with crossed outputs. Each: tfjs's
// save opens in densa, densa's in tfjs, config and .keras round trips predict the same, and 10 Adam steps from the
// same initial weights give tfjs's weights (1e-5).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import {
  Input,
  layers,
  loadModel,
  Model,
  optimizers,
  Sequential,
  type SymbolicTensor,
  type Tensor,
  tensor,
} from "../../ts/index.js";
import { readKerasArchive } from "../../ts/io/keras/keras-archive.js";
import { kerasAdam } from "../helpers/keras-optimizers-tfjs.js";
import { wasmUsage } from "../helpers/model-fixtures.js";
import { PARITY_RTOL, setupParity, uniform, worstRelative } from "../helpers/parity.js";
import { python, runPythonAsync, WEIGHTS_BY_LAYER } from "../io/keras/h5py.js";
import { loadTfjs, relativeMismatch, saveWithTfjs } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await setupParity();
  tf = await loadTfjs();
});

const ROWS = 6;

type Sym = TfModule.SymbolicTensor;
const tfApply = (layer: { apply(x: unknown): unknown }, x: unknown) => layer.apply(x) as Sym;

/** The trunk: Input(4) → Dense(5, tanh) → [Dense(3) "t_a", Dense(2, relu) "t_b"], on either side. */
function densaTrunk(): Model {
  const p = Input({ shape: [4], name: "p" });
  const hidden = new layers.Dense(5, { activation: "tanh", name: "t_hidden" }).apply(p);
  return new Model({
    inputs: p,
    outputs: [
      new layers.Dense(3, { name: "t_a" }).apply(hidden),
      new layers.Dense(2, { activation: "relu", name: "t_b" }).apply(hidden),
    ],
    name: "trunk",
  });
}

function tfTrunk(): TfModule.LayersModel {
  const p = tf.input({ shape: [4], name: "p" });
  const hidden = tfApply(tf.layers.dense({ units: 5, activation: "tanh", name: "t_hidden" }), p);
  return tf.model({
    inputs: p,
    outputs: [
      tfApply(tf.layers.dense({ units: 3, name: "t_a" }), hidden),
      tfApply(tf.layers.dense({ units: 2, activation: "relu", name: "t_b" }), hidden),
    ],
    name: "trunk",
  });
}

interface Case {
  inputs: number;
  /** Per outer output: its width and loss (densa's name, tfjs's name). */
  outputs: { units: number; loss: [string, string] }[];
  densa: () => Model;
  tfjs: () => TfModule.LayersModel;
}

const CASES: Record<string, Case> = {
  "both outputs joined": {
    inputs: 1,
    outputs: [{ units: 2, loss: ["categorical_crossentropy", "categoricalCrossentropy"] }],
    densa: () => {
      const x = Input({ shape: [4], name: "x" });
      const [a, b] = densaTrunk().apply<SymbolicTensor[]>(x);
      const joined = new layers.Concatenate({ name: "join" }).apply([a, b]);
      const out = new layers.Dense(2, { activation: "softmax", name: "judge" }).apply(joined);
      return new Model({ inputs: x, outputs: out, name: "outer" });
    },
    tfjs: () => {
      const x = tf.input({ shape: [4], name: "x" });
      const [a, b] = tfTrunk().apply(x) as Sym[];
      const joined = tfApply(tf.layers.concatenate({ name: "join" }), [a, b]);
      const out = tfApply(tf.layers.dense({ units: 2, activation: "softmax", name: "judge" }), joined);
      return tf.model({ inputs: x, outputs: out, name: "outer" });
    },
  },
  "an outer model of two outputs, one head per trunk output": {
    inputs: 1,
    outputs: [
      { units: 1, loss: ["mse", "meanSquaredError"] },
      { units: 2, loss: ["categorical_crossentropy", "categoricalCrossentropy"] },
    ],
    densa: () => {
      const x = Input({ shape: [4], name: "x" });
      const [a, b] = densaTrunk().apply<SymbolicTensor[]>(x);
      return new Model({
        inputs: x,
        outputs: [
          new layers.Dense(1, { name: "reg" }).apply(a),
          new layers.Dense(2, { activation: "softmax", name: "cls" }).apply(b),
        ],
        name: "two_heads",
      });
    },
    tfjs: () => {
      const x = tf.input({ shape: [4], name: "x" });
      const [a, b] = tfTrunk().apply(x) as Sym[];
      return tf.model({
        inputs: x,
        outputs: [
          tfApply(tf.layers.dense({ units: 1, name: "reg" }), a),
          tfApply(tf.layers.dense({ units: 2, activation: "softmax", name: "cls" }), b),
        ],
        name: "two_heads",
      });
    },
  },
  "only the second output read (the first head gets no gradient)": {
    inputs: 1,
    outputs: [{ units: 2, loss: ["categorical_crossentropy", "categoricalCrossentropy"] }],
    densa: () => {
      const x = Input({ shape: [4], name: "x" });
      const b = densaTrunk().apply<SymbolicTensor[]>(x)[1];
      return new Model({
        inputs: x,
        outputs: new layers.Dense(2, { activation: "softmax", name: "judge" }).apply(b),
        name: "partial",
      });
    },
    tfjs: () => {
      const x = tf.input({ shape: [4], name: "x" });
      const b = (tfTrunk().apply(x) as Sym[])[1];
      return tf.model({
        inputs: x,
        outputs: tfApply(tf.layers.dense({ units: 2, activation: "softmax", name: "judge" }), b),
        name: "partial",
      });
    },
  },
  "the trunk applied twice, outputs crossed (shared weights)": {
    inputs: 2,
    outputs: [{ units: 2, loss: ["categorical_crossentropy", "categoricalCrossentropy"] }],
    densa: () => {
      const trunk = densaTrunk();
      const left = Input({ shape: [4], name: "left" });
      const right = Input({ shape: [4], name: "right" });
      const [a1] = trunk.apply<SymbolicTensor[]>(left);
      const [, b2] = trunk.apply<SymbolicTensor[]>(right);
      const joined = new layers.Concatenate({ name: "cross" }).apply([a1, b2]);
      return new Model({
        inputs: [left, right],
        outputs: new layers.Dense(2, { activation: "softmax", name: "judge" }).apply(joined),
        name: "crossed",
      });
    },
    tfjs: () => {
      const trunk = tfTrunk();
      const left = tf.input({ shape: [4], name: "left" });
      const right = tf.input({ shape: [4], name: "right" });
      const [a1] = trunk.apply(left) as Sym[];
      const [, b2] = trunk.apply(right) as Sym[];
      const joined = tfApply(tf.layers.concatenate({ name: "cross" }), [a1, b2]);
      return tf.model({
        inputs: [left, right],
        outputs: tfApply(tf.layers.dense({ units: 2, activation: "softmax", name: "judge" }), joined),
        name: "crossed",
      });
    },
  },
};

function inputsFor(spec: Case, seed: number): number[][][] {
  const random = uniform(seed);
  return Array.from({ length: spec.inputs }, () =>
    Array.from({ length: ROWS }, () => Array.from({ length: 4 }, () => 4 * random() - 2)),
  );
}

function targetsFor(spec: Case, seed: number): number[][][] {
  const random = uniform(seed);
  return spec.outputs.map(({ units }) =>
    Array.from({ length: ROWS }, () => {
      if (units === 1) return [2 * random() - 1];
      const hot = Math.floor(random() * units);
      return Array.from({ length: units }, (_, i) => (i === hot ? 1 : 0));
    }),
  );
}

const densaData = (parts: number[][][]) => (parts.length === 1 ? tensor(parts[0]) : parts.map((p) => tensor(p)));

function densaOutputs(model: Model, x: number[][][]): Float32Array[] {
  const out = model.predict<Tensor | Tensor[]>(densaData(x));
  return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.data));
}

function tfOutputs(model: TfModule.LayersModel, x: number[][][]): Float32Array[] {
  const xs = x.map((part) => tf.tensor2d(part));
  const out = model.predict(xs.length === 1 ? xs[0] : xs) as TfModule.Tensor | TfModule.Tensor[];
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose([...xs, ...list]);
  return values;
}

function expectSameOutputs(actual: Float32Array[], expected: Float32Array[], spec: Case): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((values, k) =>
    expect(relativeMismatch(values, expected[k], 1e-5, spec.outputs[k].units), `output ${k}`).toBeNull(),
  );
}

describe.each(Object.entries(CASES))("%s", (_name, spec) => {
  test("tfjs → densa and densa → tfjs (TF.js format), config and .keras round trips predict the same", async () => {
    const tfModel = spec.tfjs();
    const x = inputsFor(spec, 1);
    const expected = tfOutputs(tfModel, x);
    const tfArtifacts = await saveWithTfjs(tf, tfModel);
    tfModel.dispose();
    const fromTf = await loadModel(tfArtifacts as never);
    expect(fromTf.getLayer("trunk").className).toBe("Functional");
    expectSameOutputs(densaOutputs(fromTf, x), expected, spec);
    fromTf.dispose();

    const model = spec.densa();
    const own = densaOutputs(model, x);
    const artifacts = await model.save();
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
    expectSameOutputs(tfOutputs(back, x), own, spec);
    back.dispose();
    const rebuilt = Model.fromConfig(model.getConfig() as never);
    expect(rebuilt.getConfig()).toEqual(model.getConfig());
    rebuilt.setWeights(model.getWeights());
    expect(densaOutputs(rebuilt, x)).toEqual(own);
    rebuilt.dispose();
    const keras = await model.toKeras();
    for (const reopened of [await loadModel(artifacts), await loadModel(keras)]) {
      expect(reopened.getConfig()).toEqual(model.getConfig());
      expect(densaOutputs(reopened, x)).toEqual(own);
      reopened.dispose();
    }
    // config.json as Keras 3 writes it: each input names [layer, node, tensor], a nested Functional model's outer
    // calls counting from node 1.
    const { config } = readKerasArchive(keras, "test") as { config: any };
    const histories = config.config.layers.flatMap((layer: any) =>
      layer.inbound_nodes.flatMap((node: any) => node.args.flat().map((arg: any) => arg.config.keras_history)),
    );
    const trunkRefs = histories.filter((ref: any) => ref[0] === "trunk");
    expect(trunkRefs.length).toBeGreaterThan(0);
    for (const ref of trunkRefs) expect(ref[1] >= 1 && ref[2] <= 1).toBe(true);
    if (python) {
      // h5py, following Keras 3's layout rule in Python, finds the trunk's weights under layers/functional/layers/….
      const path = join(mkdtempSync(join(tmpdir(), "densa-multi-")), "model.keras");
      writeFileSync(path, keras);
      const stored = await runPythonAsync(WEIGHTS_BY_LAYER, path);
      const trunk = model.getLayer("trunk") as unknown as Model;
      for (const layer of [...model.layers, ...trunk.layers].filter((l) => l.className === "Dense"))
        expect(
          stored[layer.name].map((entry: any) => entry.values),
          layer.name,
        ).toEqual(layer.weights.map((variable) => Array.from(variable.read().data)));
    }
    model.dispose();
  });

  test("10 Adam steps train to tfjs's weights (1e-5)", async () => {
    const densa = spec.densa();
    const tfModel = spec.tfjs();
    const draw = uniform(5);
    const initial = densa.getWeights().map((w) =>
      tensor(
        Float32Array.from({ length: w.size }, () => draw() - 0.5),
        [...w.shape],
      ),
    );
    densa.setWeights(initial);
    expect(tfModel.getWeights().map((w) => w.shape)).toEqual(initial.map((w) => [...w.shape]));
    tfModel.setWeights(initial.map((w) => tf.tensor(w.data, [...w.shape])));
    const losses = spec.outputs.map((output) => output.loss);
    densa.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.01 }),
      loss: losses.length === 1 ? losses[0][0] : losses.map((loss) => loss[0]),
    });
    tfModel.compile({
      optimizer: kerasAdam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
      loss: losses.length === 1 ? losses[0][1] : losses.map((loss) => loss[1]),
    });
    for (let step = 0; step < 10; step++) {
      const x = inputsFor(spec, 100 + step);
      const y = targetsFor(spec, 200 + step);
      const densaLoss = densa.trainOnBatch(densaData(x), densaData(y)).loss;
      const xs = x.map((part) => tf.tensor2d(part));
      const ys = y.map((part) => tf.tensor2d(part));
      const tfResult = await tfModel.trainOnBatch(xs.length === 1 ? xs[0] : xs, ys.length === 1 ? ys[0] : ys);
      tf.dispose([...xs, ...ys]);
      const tfLoss = Array.isArray(tfResult) ? tfResult[0] : tfResult;
      expect(worstRelative([densaLoss], [tfLoss], 1e-2).error, `loss at step ${step}`).toBeLessThanOrEqual(PARITY_RTOL);
    }
    const tfWeights = tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
    densa.getWeights().forEach((weight, i) => {
      const scale = tfWeights[i].reduce((sum, v) => sum + Math.abs(v), 0) / tfWeights[i].length;
      const { error, index } = worstRelative(weight.data, tfWeights[i], scale);
      expect(
        error,
        `weight ${i} [${index}]: densa ${weight.data[index]} tfjs ${tfWeights[i][index]}`,
      ).toBeLessThanOrEqual(PARITY_RTOL);
    });
    expectSameOutputs(densaOutputs(densa, inputsFor(spec, 3)), tfOutputs(tfModel, inputsFor(spec, 3)), spec);
    densa.dispose();
    tfModel.dispose();
  });
});

describe("several-output models as layers: the rest", () => {
  test("summary shows the call's shapes as Keras does and 'Connected to' names each output's tensor index", () => {
    const model = CASES["the trunk applied twice, outputs crossed (shared weights)"].densa();
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    const text = lines.join("\n");
    // Keras counts a nested Functional model's own call as node 0: the outer calls are nodes 1 and 2.
    expect(text).toMatch(/trunk \(Functional\)\s+│ multiple\s+│\s+55 │ left\[0\]\[0\],/);
    expect(text).toMatch(/cross \(Concatenate\)\s+│ \(None, 5\)\s+│\s+0 │ trunk\[1\]\[0\],/);
    expect(text).toContain("trunk[2][1]");
    model.dispose();
    const single = CASES["both outputs joined"].densa();
    const rows: string[] = [];
    single.summary((line) => rows.push(line));
    expect(rows.join("\n")).toMatch(/trunk \(Functional\)\s+│ \[\(None, 3\), \(None,\s/);
    single.dispose();
  });

  test("a Sequential model refuses a model of several outputs, naming it, and leaves no memory behind", () => {
    const baseline = wasmUsage();
    const trunk = densaTrunk();
    expect(() => new Sequential([trunk, new layers.Dense(1)])).toThrow(
      /Sequential: the model "trunk" has 2 outputs, but every layer of a Sequential model must have one/,
    );
    trunk.dispose();
    expect(wasmUsage()).toEqual(baseline);
  });

  test("the outer model's dispose frees the trunk and every gradient buffer (allocator back to its start)", async () => {
    const baseline = wasmUsage();
    const spec = CASES["the trunk applied twice, outputs crossed (shared weights)"];
    const model = spec.densa();
    model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
    await model.fit(densaData(inputsFor(spec, 4)), tensor(targetsFor(spec, 5)[0]), {
      epochs: 2,
      batchSize: 4,
      verbose: 0,
    });
    model.dispose();
    expect(wasmUsage()).toEqual(baseline);
  });
});
