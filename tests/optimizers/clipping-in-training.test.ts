// Gradient clipping changes the step: clipnorm rescales each weight's gradient to at most that L2 norm,
// globalClipnorm rescales all gradients together to at most that joint norm, clipvalue clamps each element
// (Keras 3's base optimizer: clip_by_norm, clip_by_global_norm, clip_by_value before the update). The reference
// is the float64 closed-form MSE gradient of a linear model, clipped here by those definitions, and one SGD step
// w ← w − lr·g′; the test first checks that the clip is active, so it would notice clipping that never happens.
import { beforeAll, describe, expect, it } from "vitest";
import { init, optimizers } from "../../ts/index.js";
import {
  currentWeights,
  l2Norm,
  linearModel,
  linearProblem,
  mseGradients,
  trainStep,
  worstRelativeError,
} from "../helpers/linear-step.js";

beforeAll(() => init());

const LEARNING_RATE = 0.05;

/** Weights after one SGD step with each option, against w − lr·clip(g) computed here. */
function expectClippedStep(
  options: { clipnorm?: number; clipvalue?: number; globalClipnorm?: number },
  clip: (gradients: Float64Array[]) => Float64Array[],
) {
  // NOTE: scale 3 makes every gradient block far larger than the clip values below.
  const problem = linearProblem(6, 4, 10, 31, 3);
  const model = linearModel(problem, new optimizers.SGD({ learningRate: LEARNING_RATE, ...options }));
  const before = currentWeights(model);
  const gradients = mseGradients(problem, before[0], before[1]);
  const clipped = clip(gradients);
  const after = trainStep(model, problem);
  clipped.forEach((gradient, block) => {
    const expectedUpdate = gradient.map((g) => -LEARNING_RATE * g);
    const update = after[block].map((w, i) => w - before[block][i]);
    // NOTE: the update is a difference of float32 weights ~3, so its rounding is ~3·2⁻²⁴ absolute: errors are
    // measured relative to at least 1 % of the largest update element (a missing clip is off by 2× or more).
    const largest = Math.max(...expectedUpdate.map(Math.abs));
    expect(worstRelativeError(update, expectedUpdate, 1e-2 * largest), `block ${block}`).toBeLessThan(1e-3);
  });
  model.dispose();
  return { gradients, clipped };
}

describe("gradient clipping, measured on the step it makes", () => {
  it("clipnorm: each weight's gradient scaled to norm ≤ clipnorm, separately", () => {
    const clipnorm = 0.5;
    const { gradients } = expectClippedStep({ clipnorm }, (gradients) =>
      gradients.map((g) => {
        const norm = l2Norm(g);
        return g.map((value) => (value * clipnorm) / Math.max(norm, clipnorm));
      }),
    );
    for (const g of gradients) expect(l2Norm(g)).toBeGreaterThan(2 * clipnorm);
  });

  it("globalClipnorm: all gradients scaled together to joint norm ≤ globalClipnorm", () => {
    const globalClipnorm = 0.7;
    const { gradients, clipped } = expectClippedStep({ globalClipnorm }, (gradients) => {
      const norm = l2Norm(...gradients);
      return gradients.map((g) => g.map((value) => (value * globalClipnorm) / Math.max(norm, globalClipnorm)));
    });
    expect(l2Norm(...gradients)).toBeGreaterThan(2 * globalClipnorm);
    // NOTE: unlike clipnorm, the blocks keep their relative sizes: the bias block's share of the norm is unchanged.
    expect(l2Norm(clipped[1]) / l2Norm(clipped[0])).toBeCloseTo(l2Norm(gradients[1]) / l2Norm(gradients[0]), 10);
  });

  it("clipvalue: each element clamped to [−clipvalue, clipvalue]", () => {
    const clipvalue = 0.3;
    const { gradients } = expectClippedStep({ clipvalue }, (gradients) =>
      gradients.map((g) => g.map((value) => Math.min(clipvalue, Math.max(-clipvalue, value)))),
    );
    const all = gradients.flatMap((g) => Array.from(g));
    expect(all.filter((value) => Math.abs(value) > clipvalue).length).toBeGreaterThan(all.length / 4);
    expect(all.filter((value) => Math.abs(value) < clipvalue).length).toBeGreaterThan(0);
  });

  it("a clip larger than the gradient changes nothing", () => {
    expectClippedStep({ clipnorm: 1e6 }, (gradients) => gradients);
  });
});
