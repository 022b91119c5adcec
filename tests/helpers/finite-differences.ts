// Gradient checks at the model level: the gradient densa's training step computes (read from each trainable
// Variable's grad block after one trainOnBatch with SGD at learning rate 0, which leaves the weights as they were)
// against central finite differences of the loss densa itself reports (testOnBatch; trainOnBatch at learning rate 0
// where only a training forward has the loss: Dropout, with the same mask every time, and class weights).
//
// Float32 finite differences, and how they are made trustworthy:
// - Steps are powers of two (default h = 2⁻⁷), so w ± k·h is exact in float32 for |w| < 2.
// - Each derivative is the 5-point stencil [−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)] / 12h (truncation O(h⁴)), taken at
//   h and at h/2; the h/2 one is compared. The loss is a float32 sum whose rounding noise is δ ≈ ε₃₂·max(|loss|, 1)
//   (measured: the h/2 stencil's error on smooth models is ~1.5·δ/(h/2)).
// - Kinks (relu at 0, hinge at 1, a clip, a max, L1 at 0): a stencil that crosses one is skipped and counted, when
//   the h and h/2 estimates disagree beyond their noise or a third difference of the five values exceeds 8·4δ
//   (it is ~f‴h³ on a smooth stretch, ~(slope jump)·h at a kink). A wrong backward rule gives estimates that agree
//   with each other but not with the analytic gradient, so skipping cannot hide it; at most 15 % of the coordinates
//   (50 % for kinked activations and losses, whose gradients still sum rows on both sides) may be skipped.
// - Tolerance per element: |fd − analytic| ≤ rtol·|analytic| + atol, rtol = 1e-3,
//   atol = 4·δ/(h/2) + 1e-4·(largest |gradient| element of the model). On the models here the worst element uses
//   5–35 % of that tolerance; a 1 % error in a 0.01 gradient element already exceeds it.
import { expect } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { RandomGenerator } from "../../ts/engine/random.js";
import { type Model, optimizers, Sequential, setRandomSeed, type Tensor, tensor } from "../../ts/index.js";
import { Dropout } from "../../ts/layers/dropout.js";
import type { Layer } from "../../ts/layers/layer.js";
import { NoiseLayer } from "../../ts/layers/noise-layer.js";
import type { Variable } from "../../ts/layers/variable.js";
import type { LossIdentifier } from "../../ts/losses/loss.js";
import { uniformArray } from "./seeded.js";

export { uniformArray };

const EPS32 = 2 ** -24;

export interface GradientProblem {
  layers?: Layer[];
  /** Per-sample input shape (with `layers`). */
  inputShape?: number[];
  /** A Functional model instead of `layers` (compiled here). */
  model?: () => Model;
  loss: LossIdentifier | LossIdentifier[];
  /** One Tensor, or one per input of a Functional model. */
  x: Tensor | Tensor[];
  y: Tensor | Tensor[];
  sampleWeight?: Tensor;
  classWeight?: Record<number, number>;
  /** Take the loss from a training forward (BatchNormalization's batch statistics). */
  trainingForward?: boolean;
}

/** Layers whose training forward draws random numbers: Dropout and the noise layers. */
type RandomLayer = Dropout | NoiseLayer;

export interface GradientCheckOptions {
  /** Stencil step (a power of two); h/2 is used as the second estimate. */
  h?: number;
  rtol?: number;
  /** Multiplies the float32 noise floor ε₃₂·S/h. */
  noiseFactor?: number;
  /** atol also includes this fraction of the model's largest |gradient| element. */
  gradientFloor?: number;
  /** At most this fraction of the coordinates may be skipped as kinks. */
  maxSkipped?: number;
  /** At least this many coordinates must be checked. */
  minChecked?: number;
}

export interface GradientReport {
  checked: number;
  skipped: number;
  /** Largest |fd − analytic| / tolerance (≤ 1 passes). */
  worst: number;
  where: string;
  loss: number;
  largestGradient: number;
}

/**
 * Builds and compiles a model for a gradient check (SGD at learning rate 0: a step computes but changes nothing).
 * Kernels come from densa's seeded initializers; biases get small random values instead of zeros.
 */
export function buildProblemModel(problem: GradientProblem, seed = 1): Model {
  setRandomSeed(seed);
  const model = problem.model ? problem.model() : new Sequential(problem.layers!);
  if (!problem.model) model.build(problem.inputShape);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: problem.loss as LossIdentifier });
  const names = model.layers.flatMap((layer) => layer.weights.map((variable) => variable.name));
  model.setWeights(
    model
      .getWeights()
      .map((weight, i) =>
        names[i].endsWith("/bias") ? tensor(uniformArray(weight.size, seed + i, -0.2, 0.2), weight.shape) : weight,
      ),
  );
  return model;
}

/** A loss evaluator and the analytic gradients for a built model; Dropout layers use one fixed mask. */
export class GradientProbe {
  readonly variables: Variable[];
  private readonly dropouts: RandomLayer[];
  private readonly generator: RandomGenerator | null;

  constructor(
    readonly model: Model,
    private readonly problem: GradientProblem,
    private readonly maskSeed = 12345,
  ) {
    this.variables = model.layers.flatMap((layer) => layer.trainableWeights);
    this.dropouts = model.layers.filter(
      (layer): layer is RandomLayer => layer instanceof Dropout || layer instanceof NoiseLayer,
    );
    this.generator = this.dropouts.length ? new RandomGenerator(maskSeed) : null;
  }

  /**
   * With Dropout the loss must come from a training forward (the generator restarts, so the mask repeats); with
   * class weights too, since only the training step takes them. Both use trainOnBatch at learning rate 0.
   */
  get usesTrainingForward(): boolean {
    return this.dropouts.length > 0 || this.problem.classWeight !== undefined || this.problem.trainingForward === true;
  }

  private train(): number {
    // NOTE: trainOnBatch's step draws unseeded Dropout masks from the process-wide generator: restart it.
    if (this.generator) setRandomSeed(this.maskSeed);
    // NOTE: a Dropout with its own seed draws from its own generator, which restarts from that seed (the
    // layer makes it on its first training forward, from the seed: nothing to restart before that).
    for (const dropout of this.dropouts) {
      if (dropout.seed !== null)
        (dropout as unknown as { ownGenerator: RandomGenerator | null }).ownGenerator?.reseed(dropout.seed);
    }
    const { x, y, sampleWeight, classWeight } = this.problem;
    return this.model.trainOnBatch(x, y, { sampleWeight, classWeight }).loss;
  }

  /** The loss densa reports for the current weights. */
  loss(): number {
    if (this.usesTrainingForward) return this.train();
    const { x, y, sampleWeight } = this.problem;
    return this.model.testOnBatch(x, y, { sampleWeight }).loss;
  }

  /** The gradients of one training step, per trainable variable (float64 copies). */
  analyticGradients(): Float64Array[] {
    this.train();
    return this.variables.map((variable) => Float64Array.from(getEngine().read(variable.grad, variable.size)));
  }

  /** The loss with element `index` of `variable` set to `value` (restored afterwards). */
  lossWith(variable: Variable, index: number, value: number): number {
    const engine = getEngine();
    const original = engine.view(variable.ptr, variable.size)[index];
    engine.view(variable.ptr, variable.size)[index] = value;
    try {
      return this.loss();
    } finally {
      engine.view(variable.ptr, variable.size)[index] = original;
    }
  }

  dispose(): void {
    this.generator?.dispose();
    this.model.dispose();
  }
}

/** The loss at w + k·h for k = −2…2 along one weight element (k = 0 is the unperturbed loss). */
function lossesAround(probe: GradientProbe, variable: Variable, index: number, h: number, base: number): number[] {
  const w = getEngine().view(variable.ptr, variable.size)[index];
  return [-2, -1, 0, 1, 2].map((k) => (k === 0 ? base : probe.lossWith(variable, index, w + k * h)));
}

/** 5-point central difference from lossesAround's values. */
const stencil = ([m2, m1, , p1, p2]: number[], h: number) => (-p2 + 8 * p1 - 8 * m1 + m2) / (12 * h);

/**
 * Largest third difference of five equally spaced values: ~f‴·h³ (negligible) on a smooth stretch, ~(slope
 * jump)·h at a kink, and at most 8δ from rounding noise δ.
 */
const thirdDifference = ([m2, m1, c, p1, p2]: number[]) =>
  Math.max(Math.abs(p1 - 3 * c + 3 * m1 - m2), Math.abs(p2 - 3 * p1 + 3 * c - m1));

/** Compares densa's analytic gradient with finite differences of its own loss, element by element. */
export function checkGradients(problem: GradientProblem, options: GradientCheckOptions = {}): GradientReport {
  const {
    h = 2 ** -7,
    rtol = 1e-3,
    noiseFactor = 4,
    gradientFloor = 1e-4,
    maxSkipped = 0.15,
    minChecked = 20,
  } = options;
  const probe = new GradientProbe(buildProblemModel(problem), problem);
  try {
    const analytic = probe.analyticGradients();
    const loss = probe.loss();
    const largestGradient = Math.max(...analytic.map((g) => Math.max(...Array.from(g, Math.abs))));
    const roundoff = EPS32 * Math.max(Math.abs(loss), 1);
    const noise = (step: number) => (noiseFactor * roundoff) / step;
    const atol = noise(h / 2) + gradientFloor * largestGradient;
    const report: GradientReport = { checked: 0, skipped: 0, worst: 0, where: "", loss, largestGradient };
    probe.variables.forEach((variable, v) => {
      for (let i = 0; i < variable.size; i++) {
        const coarseValues = lossesAround(probe, variable, i, h, loss);
        const fineValues = lossesAround(probe, variable, i, h / 2, loss);
        const coarse = stencil(coarseValues, h);
        const fine = stencil(fineValues, h / 2);
        // NOTE: both estimates carry noise, so they may differ by about twice the noise of the finer one.
        const kink =
          Math.abs(coarse - fine) > 2 * (noise(h / 2) + rtol * Math.abs(fine)) ||
          Math.max(thirdDifference(coarseValues), thirdDifference(fineValues)) > 8 * noiseFactor * roundoff;
        if (kink) {
          report.skipped++;
          continue;
        }
        report.checked++;
        const error = Math.abs(fine - analytic[v][i]) / (rtol * Math.abs(analytic[v][i]) + atol);
        if (!(error <= report.worst)) {
          report.worst = error;
          report.where = `${variable.name}[${i}]: analytic ${analytic[v][i]} finite difference ${fine} (h ${h}: ${coarse})`;
        }
      }
    });
    const total = report.checked + report.skipped;
    expect(report.skipped, `${report.skipped} of ${total} coordinates crossed a kink`).toBeLessThanOrEqual(
      maxSkipped * total,
    );
    expect(report.checked, "too few coordinates were checked").toBeGreaterThanOrEqual(Math.min(minChecked, total));
    return report;
  } finally {
    probe.dispose();
  }
}

/** checkGradients, then asserts every checked element is within tolerance and the gradient is not trivially 0. */
export function expectGradientsMatch(problem: GradientProblem, options: GradientCheckOptions = {}): GradientReport {
  const report = checkGradients(problem, options);
  if (process.env.GRADIENT_VERBOSE) {
    console.log(
      `gradients: worst ${report.worst.toFixed(3)} checked ${report.checked} skipped ${report.skipped} |g|max ${report.largestGradient.toExponential(2)} ${report.where}`,
    );
  }
  expect(report.largestGradient, "the gradient is zero; the check would prove nothing").toBeGreaterThan(1e-3);
  expect(report.worst, `gradient mismatch at ${report.where}`).toBeLessThanOrEqual(1);
  return report;
}

/** A [rows, ...shape] tensor of uniform values. */
export function uniformTensor(shape: number[], seed: number, low = -1, high = 1): Tensor {
  return tensor(
    uniformArray(
      shape.reduce((a, b) => a * b, 1),
      seed,
      low,
      high,
    ),
    shape,
  );
}
