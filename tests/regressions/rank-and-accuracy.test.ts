// Outputs of rank > 1 are scored per position along the last axis, as Keras (not over the flattened output), and "accuracy" resolves as in
// Keras 3's compile_utils.get_metric. References are float64, written here from Keras 3's formulas.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, type losses, optimizers, Sequential, tensor } from "../../ts/index.js";
import { Layer } from "../../ts/layers/layer.js";
import { RowBuffer } from "../../ts/layers/row-buffer.js";
import { Variable } from "../../ts/layers/variable.js";
import { seededRandom } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const EPSILON = 1e-7; // Keras's backend.epsilon()
const SAMPLES = 5;
const POSITIONS = 4;
const CLASSES = 3;
const random = seededRandom(21);
const uniform = (n: number, low: number, high: number) =>
  Array.from({ length: n }, () => low + (high - low) * random());
const inputs = uniform(SAMPLES * POSITIONS * CLASSES, -2, 2);
const weights = uniform(SAMPLES, 0.5, 2);
const labels = Array.from({ length: SAMPLES * POSITIONS }, () => Math.floor(random() * CLASSES));
const oneHot = labels.flatMap((label) => Array.from({ length: CLASSES }, (_, c) => (c === label ? 1 : 0)));
const distributions = (() => {
  const raw = uniform(SAMPLES * POSITIONS * CLASSES, 0.1, 1);
  return raw.map((v, i) => v / raw.slice(i - (i % CLASSES), i - (i % CLASSES) + CLASSES).reduce((a, b) => a + b, 0));
})();

type Row = (y: number[], p: number[]) => number;
const softmax = (row: number[]) => {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};
const clip = (v: number, low: number, high: number) => Math.min(Math.max(v, low), high);
const crossEntropy: Row = (y, p) => {
  const sum = p.reduce((a, b) => a + b, 0);
  return -y.reduce((total, t, c) => total + t * Math.log(clip(p[c] / sum, EPSILON, 1 - EPSILON)), 0);
};
const klDivergence: Row = (y, p) =>
  y.reduce((total, t, c) => total + clip(t, EPSILON, 1) * Math.log(clip(t, EPSILON, 1) / clip(p[c], EPSILON, 1)), 0);
const norm = (v: number[]) =>
  Math.sqrt(
    Math.max(
      v.reduce((a, b) => a + b * b, 0),
      1e-12,
    ),
  );
const cosine: Row = (y, p) => -y.reduce((total, t, c) => total + (t / norm(y)) * (p[c] / norm(p)), 0);
const categoricalHinge: Row = (y, p) => {
  const positive = y.reduce((total, t, c) => total + t * p[c], 0);
  const negative = Math.max(...y.map((t, c) => (1 - t) * p[c]));
  return Math.max(negative - positive + 1, 0);
};
const meanSquared: Row = (y, p) => y.reduce((total, t, c) => total + (t - p[c]) ** 2, 0) / y.length;

/** Keras 3: a loss per position, times the sample's weight, summed and divided by samples × positions. */
function reference(row: Row, y: number[], outputs: number[], sampleWeights = weights): number {
  let total = 0;
  for (let s = 0; s < SAMPLES; s++) {
    for (let q = 0; q < POSITIONS; q++) {
      const at = (s * POSITIONS + q) * CLASSES;
      total += sampleWeights[s] * row(y.slice(at, at + CLASSES), outputs.slice(at, at + CLASSES));
    }
  }
  return total / (SAMPLES * POSITIONS);
}

function perPosition(transform: (row: number[]) => number[]): number[] {
  const out: number[] = [];
  for (let at = 0; at < inputs.length; at += CLASSES) out.push(...transform(inputs.slice(at, at + CLASSES)));
  return out;
}

const x = tensor(Float32Array.from(inputs), [SAMPLES, POSITIONS, CLASSES]);
const asTargets = (values: number[]) => tensor(Float32Array.from(values), [SAMPLES, POSITIONS, CLASSES]);

function modelWith(activation: string, loss: string | losses.Loss, metrics: string[] = []) {
  const m = new Sequential([new layers.InputLayer({ shape: [POSITIONS, CLASSES] }), new layers.Activation(activation)]);
  m.compile({ optimizer: "sgd", loss, metrics });
  return m;
}

describe("losses on outputs of shape [positions, classes]", () => {
  const softmaxed = perPosition(softmax);
  const tanhed = perPosition((row) => row.map(Math.tanh));
  const cases: { name: string; activation: string; loss: string; y: number[]; outputs: number[]; row: Row }[] = [
    {
      name: "categorical cross-entropy (fused softmax)",
      activation: "softmax",
      loss: "categorical_crossentropy",
      y: oneHot,
      outputs: softmaxed,
      row: crossEntropy,
    },
    {
      name: "KL divergence",
      activation: "softmax",
      loss: "kl_divergence",
      y: distributions,
      outputs: softmaxed,
      row: klDivergence,
    },
    {
      name: "cosine similarity",
      activation: "tanh",
      loss: "cosine_similarity",
      y: distributions.map((v) => v - 0.3),
      outputs: tanhed,
      row: cosine,
    },
    {
      name: "categorical hinge",
      activation: "tanh",
      loss: "categorical_hinge",
      y: oneHot,
      outputs: tanhed,
      row: categoricalHinge,
    },
    {
      name: "mean squared error (unchanged: a mean either way)",
      activation: "tanh",
      loss: "mse",
      y: distributions,
      outputs: tanhed,
      row: meanSquared,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: evaluate and testOnBatch match Keras's per-position mean`, async () => {
      const m = modelWith(c.activation, c.loss);
      const expected = reference(c.row, c.y, c.outputs);
      const scores = await m.evaluate(x, asTargets(c.y), { sampleWeight: weights, verbose: 0, batchSize: 2 });
      expect(scores.loss).toBeCloseTo(expected, 5);
      expect(Math.abs(m.testOnBatch(x, asTargets(c.y), { sampleWeight: weights }).loss - expected)).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(expected)),
      );
      m.dispose();
    });
  }

  it("the review's example: softmax of zeros against one-hot rows gives ln 3 (Keras 1.0986), not 3.58", async () => {
    const m = new Sequential([new layers.InputLayer({ shape: [2, 3] }), new layers.Activation("softmax")]);
    m.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
    const scores = await m.evaluate(
      [
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
      ],
      [
        [
          [1, 0, 0],
          [0, 1, 0],
        ],
      ],
      { verbose: 0 },
    );
    expect(scores.loss).toBeCloseTo(Math.log(3), 6);
    m.dispose();
  });

  it("sparse labels: one integer per position (shape [n, positions] or [n, positions, 1])", async () => {
    const m = modelWith("softmax", "sparse_categorical_crossentropy", ["accuracy"]);
    const expected = reference(crossEntropy, oneHot, perPosition(softmax));
    const flat = tensor(Float32Array.from(labels), [SAMPLES, POSITIONS]);
    const scores = await m.evaluate(x, flat, { sampleWeight: weights, verbose: 0 });
    expect(scores.loss).toBeCloseTo(expected, 5);
    const withAxis = await m.evaluate(x, tensor(Float32Array.from(labels), [SAMPLES, POSITIONS, 1]), {
      sampleWeight: weights,
      verbose: 0,
    });
    expect(withAxis.loss).toBe(scores.loss);
    // accuracy per position (unweighted, as Keras's compiled metrics)
    const predicted = perPosition(softmax);
    let hits = 0;
    labels.forEach((label, i) => {
      const row = predicted.slice(i * CLASSES, i * CLASSES + CLASSES);
      if (row.indexOf(Math.max(...row)) === label) hits++;
    });
    expect(scores.accuracy).toBeCloseTo(hits / labels.length, 10);
    await expect(
      m.evaluate(x, tensor(Float32Array.from(labels.slice(0, SAMPLES)), [SAMPLES]), { verbose: 0 }),
    ).rejects.toThrow(
      "evaluate: y has per-sample shape []; the model's output has shape [4, 3], so expected one integer class label per position: per-sample shape [4]",
    );
    const bad = [...labels];
    bad[6] = 3;
    await expect(m.evaluate(x, tensor(Float32Array.from(bad), [SAMPLES, POSITIONS]), { verbose: 0 })).rejects.toThrow(
      "evaluate: y[1][2] is 3 but the model's output has 3 classes; expected integer labels in [0, 2]",
    );
    m.dispose();
  });

  it("classWeight is refused for such outputs (as Keras does), before any change", () => {
    const m = modelWith("softmax", "categorical_crossentropy");
    expect(() => m.trainOnBatch(x, asTargets(oneHot), { classWeight: { 0: 2 } })).toThrow(
      "trainOnBatch: classWeight needs one class per sample, but the model's output has shape [4, 3] (one per position); Keras refuses class weights for such targets too — pass sampleWeight instead",
    );
    m.dispose();
  });
});

/** y = x + bias, bias of the per-sample shape: a trainable layer whose output keeps its rank (for gradients). */
class AddBias extends Layer {
  readonly className = "AddBias";
  bias: Variable | null = null;
  private outputs: RowBuffer | null = null;
  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }
  protected override createWeights(inputShape: readonly number[]): void {
    this.bias = new Variable(`${this.name}/bias`, inputShape, true);
    this.variables.push(this.bias);
    this.bias.write(new Float32Array(this.bias.size));
    this.outputs = new RowBuffer(this.bias.size);
  }
  forward(input: number, step: { rows: number }): number {
    const rows = step.rows;
    const size = this.bias!.size;
    const output = this.outputs!.ensure(rows);
    const engine = getEngine();
    const from = engine.view(input, rows * size);
    const to = engine.view(output, rows * size);
    const bias = engine.view(this.bias!.ptr, size);
    for (let i = 0; i < rows * size; i++) to[i] = from[i] + bias[i % size];
    return output;
  }
  backward(outputGrad: number, step: { rows: number }): number {
    const rows = step.rows;
    const size = this.bias!.size;
    const engine = getEngine();
    const grad = engine.view(outputGrad, rows * size);
    const biasGrad = engine.view(this.bias!.grad, size);
    biasGrad.fill(0);
    for (let i = 0; i < rows * size; i++) biasGrad[i % size] += grad[i];
    return 0;
  }
  protected override releaseBuffers(): void {
    this.outputs?.dispose();
  }
}

describe("gradients on outputs of shape [positions, classes]", () => {
  const cases: {
    name: string;
    activation: string;
    loss: string;
    y: number[];
    row: Row;
    transform: (row: number[]) => number[];
  }[] = [
    {
      name: "categorical cross-entropy through softmax (the fused path)",
      activation: "softmax",
      loss: "categorical_crossentropy",
      y: oneHot,
      row: crossEntropy,
      transform: softmax,
    },
    {
      name: "cosine similarity through tanh",
      activation: "tanh",
      loss: "cosine_similarity",
      y: distributions.map((v) => v - 0.3),
      row: cosine,
      transform: (row) => row.map(Math.tanh),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: one SGD step (learning rate 1) moves the bias by minus the float64 finite-difference gradient`, () => {
      const addBias = new AddBias({});
      const m = new Sequential([
        new layers.InputLayer({ shape: [POSITIONS, CLASSES] }),
        addBias,
        new layers.Activation(c.activation),
      ]);
      m.compile({ optimizer: new optimizers.SGD({ learningRate: 1 }), loss: c.loss });
      const size = POSITIONS * CLASSES;
      const lossAt = (bias: number[]) => {
        const outputs: number[] = [];
        for (let s = 0; s < SAMPLES; s++) {
          for (let q = 0; q < POSITIONS; q++) {
            const at = (s * POSITIONS + q) * CLASSES;
            outputs.push(...c.transform(inputs.slice(at, at + CLASSES).map((v, k) => v + bias[q * CLASSES + k])));
          }
        }
        return reference(c.row, c.y, outputs);
      };
      const h = 1e-5;
      const expected = Array.from({ length: size }, (_, i) => {
        const up = new Array<number>(size).fill(0);
        const down = new Array<number>(size).fill(0);
        up[i] = h;
        down[i] = -h;
        return (lossAt(up) - lossAt(down)) / (2 * h);
      });
      m.trainOnBatch(x, asTargets(c.y), { sampleWeight: weights });
      const step = Array.from(addBias.bias!.read().data, (v) => -v);
      step.forEach((value, i) =>
        expect(Math.abs(value - expected[i])).toBeLessThan(2e-5 + 1e-3 * Math.abs(expected[i])),
      );
      m.dispose();
    });
  }
});

describe('"accuracy" as Keras 3 resolves it', () => {
  const metricClass = (m: Sequential) =>
    (m as unknown as { training: { step(fn: string): { metrics: { className: string }[] } } }).training.step("test")
      .metrics[0].className;
  const dense = (units: number, activation: string) =>
    new Sequential([new layers.Dense(units, { inputShape: [2], activation })]);
  const cases: { name: string; model: () => Sequential; loss: string; expected: string }[] = [
    {
      name: "binary_crossentropy over 3 outputs (multi-label) → categorical",
      model: () => dense(3, "sigmoid"),
      loss: "binary_crossentropy",
      expected: "CategoricalAccuracy",
    },
    {
      name: "binary_crossentropy over 1 output → binary",
      model: () => dense(1, "sigmoid"),
      loss: "binary_crossentropy",
      expected: "BinaryAccuracy",
    },
    { name: "mse over 1 output → binary", model: () => dense(1, "linear"), loss: "mse", expected: "BinaryAccuracy" },
    {
      name: "categorical_crossentropy → categorical",
      model: () => dense(3, "softmax"),
      loss: "categorical_crossentropy",
      expected: "CategoricalAccuracy",
    },
    {
      name: "sparse_categorical_crossentropy → sparse categorical",
      model: () => dense(3, "softmax"),
      loss: "sparse_categorical_crossentropy",
      expected: "SparseCategoricalAccuracy",
    },
    {
      name: "an output of shape [3, 1] (last axis 1) → binary, whatever the loss",
      model: () => new Sequential([new layers.InputLayer({ shape: [3, 1] }), new layers.Activation("sigmoid")]),
      loss: "mse",
      expected: "BinaryAccuracy",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = c.model();
      m.compile({ optimizer: "sgd", loss: c.loss, metrics: ["accuracy"] });
      expect(metricClass(m)).toBe(c.expected);
      m.dispose();
    });
  }

  it("the multi-label value is categorical accuracy (argmax of outputs = argmax of targets), not the binary one", async () => {
    const m = new Sequential([new layers.InputLayer({ shape: [3] }), new layers.Activation("sigmoid")]);
    m.compile({ optimizer: "sgd", loss: "binary_crossentropy", metrics: ["accuracy"] });
    const xs = [
      [2, -1, 0.5],
      [-1, 1, 3],
      [0.2, 0.1, -2],
      [1, 2, 3],
    ];
    const ys = [
      [1, 0, 1],
      [0, 1, 1],
      [0, 0, 1],
      [1, 1, 0],
    ];
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    const categorical = xs.filter((row, i) => argmax(row) === argmax(ys[i])).length / xs.length;
    const binary =
      xs
        .flatMap((row, i) => row.map((v, c) => ((1 / (1 + Math.exp(-v)) > 0.5 ? 1 : 0) === ys[i][c] ? 1 : 0)))
        .reduce((a: number, b) => a + b, 0) / 12;
    expect(categorical).not.toBe(binary);
    expect((await m.evaluate(xs, ys, { verbose: 0 })).accuracy).toBeCloseTo(categorical, 10);
    m.dispose();
  });
});
