// A float64 reference of the parity classifier (inputs → Dense tanh → Dense softmax, categorical cross-entropy,
// Keras's sum-over-batch mean), trained with a per-element update rule: what float32 libraries approximate.
import type { Batch } from "./parity.js";

/** Updates one weight from its gradient; `state` holds that weight's slots, `step` counts from 1. */
export type ElementUpdate = (weight: number, gradient: number, state: Float64Array, step: number) => number;

/** Trains [kernel1, bias1, kernel2, bias2] (Keras layout, row-major [inputs, units]) on every batch in order. */
export function trainTanhSoftmax(
  initial: Float32Array[],
  batches: Batch[],
  update: ElementUpdate,
  slots: number,
): Float64Array[] {
  const [kernel1, bias1, kernel2, bias2] = initial.map((values) => Float64Array.from(values));
  const params = [kernel1, bias1, kernel2, bias2];
  const hiddenUnits = bias1.length,
    classes = bias2.length,
    inputs = kernel1.length / hiddenUnits;
  const state = params.map((p) => Array.from(p, () => new Float64Array(slots)));
  batches.forEach(({ x, y }, index) => {
    const rows = x.length;
    const grads = params.map((p) => new Float64Array(p.length));
    for (let r = 0; r < rows; r++) {
      const hidden = Array.from(bias1, (bias, j) => {
        let z = bias;
        for (let i = 0; i < inputs; i++) z += x[r][i] * kernel1[i * hiddenUnits + j];
        return Math.tanh(z);
      });
      const logits = Array.from(bias2, (bias, k) => {
        let z = bias;
        for (let j = 0; j < hiddenUnits; j++) z += hidden[j] * kernel2[j * classes + k];
        return z;
      });
      const top = Math.max(...logits);
      const exps = logits.map((z) => Math.exp(z - top));
      const total = exps.reduce((a, b) => a + b);
      const logitGrad = exps.map((e, k) => (e / total - y[r][k]) / rows);
      for (let k = 0; k < classes; k++) {
        grads[3][k] += logitGrad[k];
        for (let j = 0; j < hiddenUnits; j++) grads[2][j * classes + k] += hidden[j] * logitGrad[k];
      }
      for (let j = 0; j < hiddenUnits; j++) {
        let back = 0;
        for (let k = 0; k < classes; k++) back += logitGrad[k] * kernel2[j * classes + k];
        const preGrad = back * (1 - hidden[j] * hidden[j]);
        grads[1][j] += preGrad;
        for (let i = 0; i < inputs; i++) grads[0][i * hiddenUnits + j] += x[r][i] * preGrad;
      }
    }
    params.forEach((p, q) => p.forEach((weight, i) => (p[i] = update(weight, grads[q][i], state[q][i], index + 1))));
  });
  return params;
}

/** Keras 3's Adam for one element (slots: m, v). */
export function adamElement(learningRate: number, beta1: number, beta2: number, epsilon: number): ElementUpdate {
  return (weight, g, s, step) => {
    const alpha = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    s[0] += (g - s[0]) * (1 - beta1);
    s[1] += (g * g - s[1]) * (1 - beta2);
    return weight - (s[0] * alpha) / (Math.sqrt(s[1]) + epsilon);
  };
}
