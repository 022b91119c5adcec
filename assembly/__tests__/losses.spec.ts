import { lossForward, lossBackward, softmaxCrossEntropyBackward } from "../losses";
import {
  LOSS_MEAN_SQUARED_ERROR, LOSS_BINARY_CROSSENTROPY_FROM_LOGITS, LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
} from "../losses-kinds";

function floats(count: i32): usize {
  return changetype<usize>(new StaticArray<f32>(count));
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Deterministic values in [-2, 2] without JS. */
function fill(base: usize, count: i32, seed: f64): void {
  for (let i = 0; i < count; i++) store<f32>(at(base, i), <f32>(2 * Math.sin(seed + 1.7 * <f64>i)));
}

describe("lossForward", () => {
  it("mean squared error is the weighted mean over rows of the mean over columns", () => {
    const rows = 3, cols = 5;
    const yPred = floats(15), yTrue = floats(15), weights = floats(3), perSample = floats(3);
    fill(yPred, 15, 0.3);
    fill(yTrue, 15, 1.1);
    store<f32>(at(weights, 0), 0.5);
    store<f32>(at(weights, 1), 2);
    store<f32>(at(weights, 2), 1);
    let expected: f64 = 0;
    for (let i = 0; i < rows; i++) {
      let rowSum: f64 = 0;
      for (let j = 0; j < cols; j++) {
        const d = <f64>load<f32>(at(yTrue, i * cols + j)) - <f64>load<f32>(at(yPred, i * cols + j));
        rowSum += d * d;
      }
      expected += <f64>load<f32>(at(weights, i)) * rowSum / cols;
    }
    const loss = lossForward(LOSS_MEAN_SQUARED_ERROR, rows, cols, yPred, yTrue, weights, perSample, 0, 0);
    expect(Math.abs(<f64>loss - expected / rows)).toBeLessThan(1e-5);
    expect(load<f32>(at(perSample, 1))).toBeGreaterThan(0);
  });

  it("binary cross-entropy from logits stays finite at ±100", () => {
    const yPred = floats(4), yTrue = floats(4);
    store<f32>(at(yPred, 0), 100);
    store<f32>(at(yPred, 1), -100);
    store<f32>(at(yPred, 2), 100);
    store<f32>(at(yPred, 3), -100);
    store<f32>(at(yTrue, 0), 0);
    store<f32>(at(yTrue, 1), 1);
    store<f32>(at(yTrue, 2), 1);
    store<f32>(at(yTrue, 3), 0);
    // two confidently wrong samples cost 100 each, two right ones ~0: mean 50
    const loss = lossForward(LOSS_BINARY_CROSSENTROPY_FROM_LOGITS, 4, 1, yPred, yTrue, 0, 0, 0, 0);
    expect(Math.abs(<f64>loss - 50)).toBeLessThan(1e-4);
  });
});

describe("lossBackward", () => {
  it("mean squared error gradient is scale·2(p − t)/cols", () => {
    const rows = 3, cols = 7;
    const yPred = floats(21), yTrue = floats(21), dPred = floats(21);
    fill(yPred, 21, 0.7);
    fill(yTrue, 21, 2.9);
    lossBackward(LOSS_MEAN_SQUARED_ERROR, rows, cols, yPred, yTrue, 0, dPred, 0, 0, <f32>1 / <f32>rows);
    for (let k = 0; k < 21; k++) {
      const expected = 2 * (<f64>load<f32>(at(yPred, k)) - <f64>load<f32>(at(yTrue, k))) / (rows * cols);
      expect(Math.abs(<f64>load<f32>(at(dPred, k)) - expected)).toBeLessThan(1e-6);
    }
  });
});

describe("softmaxCrossEntropyBackward", () => {
  it("equals softmax − one-hot for sparse labels and matches the logits kind", () => {
    const cols = 6;
    const logits = floats(cols), probs = floats(cols), labels = floats(1), oneHot = floats(cols);
    const fused = floats(cols), viaLogits = floats(cols);
    fill(logits, cols, 0.2);
    let total: f64 = 0;
    for (let j = 0; j < cols; j++) total += Math.exp(<f64>load<f32>(at(logits, j)));
    for (let j = 0; j < cols; j++) store<f32>(at(probs, j), <f32>(Math.exp(<f64>load<f32>(at(logits, j))) / total));
    store<i32>(labels, 4);
    store<f32>(at(oneHot, 4), 1);
    softmaxCrossEntropyBackward(1, cols, probs, labels, 1, 0, fused, 0, 1);
    lossBackward(LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS, 1, cols, logits, oneHot, 0, viaLogits, 0, 0, 1);
    for (let j = 0; j < cols; j++) {
      const expected = <f64>load<f32>(at(probs, j)) - (j == 4 ? 1.0 : 0.0);
      expect(Math.abs(<f64>load<f32>(at(fused, j)) - expected)).toBeLessThan(1e-6);
      expect(Math.abs(<f64>load<f32>(at(viaLogits, j)) - expected)).toBeLessThan(1e-6);
    }
  });
});
