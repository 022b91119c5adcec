// Parity harness: the same small MLP trained by densa and by the real @tensorflow/tfjs (cpu backend), from the
// same initial weights, on the same fixed batches (trainOnBatch, no shuffling), then compared step by step.
//
// Tolerance (the 1e-5 relative), and its floors for values near zero:
//   losses and metrics: |densa − tfjs| ≤ rtol · max(|densa|, |tfjs|, 1e-2)   → absolute floor 1e-7
//   weights:            |densa − tfjs| ≤ rtol · max(|densa|, |tfjs|, mean |w| of that weight tensor)
// NOTE: a weight that happens to sit near zero after 10 steps is the sum of an initial value and updates of the
// tensor's own scale; its float32 rounding is relative to those, not to its final value, so it is measured
// on the tensor's scale (mean |w|, ~0.2 for these layers).
// PARITY_VERBOSE=1 prints each run's worst differences (to see the margins).
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { init, layers, Sequential, setRandomSeed, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import type { LossIdentifier } from "../../ts/losses/loss.js";
import type { MetricIdentifier } from "../../ts/metrics/index.js";
import type { Optimizer } from "../../ts/optimizers/optimizer.js";
import { seededRandom } from "./seeded.js";

export const PARITY_RTOL = 1e-5;
export const SCALAR_FLOOR = 1e-2;

let ready: Promise<void> | null = null;

/** densa's kernels and tfjs's cpu backend, once per file. */
export function setupParity(): Promise<void> {
  ready ??= (async () => {
    await init();
    // NOTE: production mode only silences tfjs's console warnings (the "install tfjs-node" banner).
    tf.enableProdMode();
    await tf.setBackend("cpu");
    await tf.ready();
  })();
  return ready;
}

/** mulberry32: deterministic uniform numbers in [0, 1) (shared with the examples). */
export const uniform: (seed: number) => () => number = seededRandom;

export type Targets = number[][];

export interface Batch {
  x: number[][];
  y: Targets;
}

/** `steps` batches of `rows` samples with `inputs` features uniform in [-scale, scale), targets from `target`. */
export function makeBatches(
  seed: number,
  steps: number,
  rows: number,
  inputs: number,
  scale: number,
  target: (x: number[], random: () => number) => number[],
): Batch[] {
  const random = uniform(seed);
  return Array.from({ length: steps }, () => {
    const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => (2 * random() - 1) * scale));
    return { x, y: x.map((row) => target(row, random)) };
  });
}

/** densa's activation names as tfjs-layers spells them. */
export function tfActivation(name: string): string {
  return ({ hard_sigmoid: "hardSigmoid", log_softmax: "logSoftmax" } as Record<string, string>)[name] ?? name;
}

export type LayerSpec =
  | { dense: number; activation?: string; useBias?: boolean; kernelL1?: number; kernelL2?: number; biasL2?: number }
  /** An Activation layer; `tfLayer` when tfjs has the function only as a layer (LeakyReLU). */
  | { activation: string; tfLayer?: () => tf.layers.Layer };

export interface ParityCase {
  inputs: number;
  layers: LayerSpec[];
  densaOptimizer: () => Optimizer;
  tfOptimizer: () => tf.Optimizer;
  densaLoss: LossIdentifier;
  tfLoss: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  densaMetrics?: MetricIdentifier[];
  tfMetrics?: (string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor))[];
  batches: Batch[];
  /** tfjs's form of one target row, where it differs (one-hot rows for a tfjs loss that cannot take labels). */
  tfTarget?: (row: number[]) => number[];
  /** Seed of the initial weights (densa's initializers; biases get small random values too). */
  seed?: number;
}

export interface ParityRun {
  /** Per step: [loss, ...metrics] as trainOnBatch returned them. */
  densaLogs: number[][];
  tfLogs: number[][];
  initialWeights: Float32Array[];
  densaWeights: Float32Array[];
  tfWeights: Float32Array[];
  names: string[];
  /** Per step, the outputs each library computed before its update (what the metrics saw). */
  densaOutputs: Float32Array[];
  tfOutputs: Float32Array[];
}

function densaLayers(specs: LayerSpec[], inputs: number): Layer[] {
  return specs.map((spec, i) => {
    const inputShape = i === 0 ? [inputs] : undefined;
    if (!("dense" in spec)) return new layers.Activation(spec.activation, { inputShape });
    const kernelRegularizer =
      spec.kernelL1 || spec.kernelL2
        ? { className: "L1L2", config: { l1: spec.kernelL1 ?? 0, l2: spec.kernelL2 ?? 0 } }
        : null;
    const biasRegularizer = spec.biasL2 ? { className: "L2", config: { l2: spec.biasL2 } } : null;
    return new layers.Dense(spec.dense, {
      activation: spec.activation ?? "linear",
      useBias: spec.useBias ?? true,
      inputShape,
      kernelRegularizer,
      biasRegularizer,
    });
  });
}

function tfModel(specs: LayerSpec[], inputs: number): tf.Sequential {
  const model = tf.sequential();
  specs.forEach((spec, i) => {
    const inputShape = i === 0 ? [inputs] : undefined;
    if (!("dense" in spec)) {
      if (spec.tfLayer && i === 0) throw new Error("parity: a tfLayer cannot be the first layer");
      model.add(
        spec.tfLayer
          ? spec.tfLayer()
          : tf.layers.activation({ activation: tfActivation(spec.activation) as never, inputShape }),
      );
      return;
    }
    const kernelRegularizer =
      spec.kernelL1 || spec.kernelL2
        ? tf.regularizers.l1l2({ l1: spec.kernelL1 ?? 0, l2: spec.kernelL2 ?? 0 })
        : undefined;
    const biasRegularizer = spec.biasL2 ? tf.regularizers.l2({ l2: spec.biasL2 }) : undefined;
    model.add(
      tf.layers.dense({
        units: spec.dense,
        activation: tfActivation(spec.activation ?? "linear") as never,
        useBias: spec.useBias ?? true,
        inputShape,
        kernelRegularizer,
        biasRegularizer,
      }),
    );
  });
  return model;
}

/** Builds both models from the same weights and runs every batch through trainOnBatch on each. */
export async function runParity(spec: ParityCase): Promise<ParityRun> {
  await setupParity();
  setRandomSeed(spec.seed ?? 7);
  const densaModel = new Sequential(densaLayers(spec.layers, spec.inputs));
  densaModel.compile({ optimizer: spec.densaOptimizer(), loss: spec.densaLoss, metrics: spec.densaMetrics ?? [] });
  const random = uniform((spec.seed ?? 7) + 1000);
  // NOTE: biases start at small random values rather than Keras's zeros, so their arithmetic is exercised too.
  const initial = densaModel.getWeights().map((weight, i) => {
    const isBias = densaModel.layers.flatMap((layer) => layer.weights)[i].name.endsWith("/bias");
    return isBias
      ? tensor(
          Float32Array.from(weight.data, () => 0.2 * random() - 0.1),
          weight.shape,
        )
      : weight;
  });
  densaModel.setWeights(initial);

  const tfModelInstance = tfModel(spec.layers, spec.inputs);
  tfModelInstance.compile({
    optimizer: spec.tfOptimizer(),
    loss: spec.tfLoss as never,
    metrics: (spec.tfMetrics ?? []) as never,
  });
  tfModelInstance.setWeights(initial.map((weight) => tf.tensor(weight.data, [...weight.shape])));

  const run: ParityRun = {
    densaLogs: [],
    tfLogs: [],
    initialWeights: initial.map((weight) => weight.data as Float32Array),
    densaWeights: [],
    tfWeights: [],
    names: densaModel.metricsNames,
    densaOutputs: [],
    tfOutputs: [],
  };
  for (const batch of spec.batches) {
    run.densaOutputs.push(densaModel.predict(batch.x).data as Float32Array);
    const logs = densaModel.trainOnBatch(batch.x, batch.y);
    run.densaLogs.push(densaModel.metricsNames.map((name) => logs[name]));
    const x = tf.tensor2d(batch.x);
    const y = tf.tensor2d(spec.tfTarget ? batch.y.map(spec.tfTarget) : batch.y);
    const prediction = tfModelInstance.predict(x) as tf.Tensor;
    run.tfOutputs.push(prediction.dataSync() as Float32Array);
    prediction.dispose();
    const tfLogs = await tfModelInstance.trainOnBatch(x, y);
    run.tfLogs.push(Array.isArray(tfLogs) ? tfLogs : [tfLogs]);
    x.dispose();
    y.dispose();
  }
  run.densaWeights = densaModel.getWeights().map((weight) => weight.data as Float32Array);
  run.tfWeights = tfModelInstance.getWeights().map((weight) => weight.dataSync() as Float32Array);
  densaModel.dispose();
  tfModelInstance.dispose();
  return run;
}

/** Largest |a − b| / max(|a|, |b|, floor) over two arrays, and where it is. */
export function worstRelative(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  floor: number,
): { error: number; index: number } {
  let error = 0,
    index = -1;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]), floor);
    const e = Math.abs(a[i] - b[i]) / scale;
    if (!(e <= error)) {
      error = e;
      index = i;
    }
  }
  return { error, index };
}

/** Mean of |values|: the scale of a weight tensor. */
export function meanAbs(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.abs(values[i]);
  return total / values.length;
}

/** Worst relative differences of a run (losses and metrics per step, final weights); NaN counts as infinite. */
export function parityErrors(run: ParityRun): { logs: number; weights: number; where: string } {
  let logs = 0,
    weights = 0,
    where = "";
  run.densaLogs.forEach((densa, step) => {
    expect(densa.length, "densa and tfjs report the same number of values").toBe(run.tfLogs[step].length);
    const { error, index } = worstRelative(densa, run.tfLogs[step], SCALAR_FLOOR);
    if (!(error <= logs)) {
      logs = error;
      where = `step ${step} ${run.names[index]}: densa ${densa[index]} tfjs ${run.tfLogs[step][index]}`;
    }
  });
  expect(run.densaWeights.length).toBe(run.tfWeights.length);
  run.densaWeights.forEach((densa, i) => {
    const { error, index } = worstRelative(densa, run.tfWeights[i], meanAbs(run.tfWeights[i]));
    if (!(error <= weights)) {
      weights = error;
      if (!(error <= logs)) where = `weight ${i}[${index}]: densa ${densa[index]} tfjs ${run.tfWeights[i][index]}`;
    }
  });
  return { logs, weights, where };
}

/** Asserts a run agrees to `rtol` (losses, metrics, final weights). */
export function expectParity(run: ParityRun, rtol = PARITY_RTOL): void {
  const errors = parityErrors(run);
  if (process.env.PARITY_VERBOSE)
    console.log(
      `parity: logs ${errors.logs.toExponential(2)} weights ${errors.weights.toExponential(2)} ${errors.where}`,
    );
  expect(Number.isFinite(errors.logs) && Number.isFinite(errors.weights), `non-finite values: ${errors.where}`).toBe(
    true,
  );
  expect(errors.logs, `losses/metrics differ: ${errors.where}`).toBeLessThanOrEqual(rtol);
  expect(errors.weights, `weights differ: ${errors.where}`).toBeLessThanOrEqual(rtol);
  // NOTE: a run that learns nothing would agree trivially: the weights must have moved by far more than rtol.
  const moved = Math.max(
    ...run.tfWeights.map((weights, i) => worstRelative(weights, run.initialWeights[i], meanAbs(weights)).error),
  );
  expect(moved, "the weights barely moved in 10 steps; the comparison would prove nothing").toBeGreaterThan(100 * rtol);
}

export function oneHot(label: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, j) => (j === label ? 1 : 0));
}
