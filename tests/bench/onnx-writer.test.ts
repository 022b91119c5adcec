// The bench's hand-encoded ONNX file (bench/onnx-writer.mjs): onnxruntime-web must load it and compute the
// Dense stack it describes, checked against a float64 scalar forward pass of the same weights.
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { denseStackOnnx, type OnnxDenseLayer } from "../../bench/onnx-writer.mjs";

/** Seeded values in [-0.5, 0.5): a linear congruential generator, no Math.random. */
function seeded(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

function reference(layers: OnnxDenseLayer[], x: Float32Array, rows: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let values = Array.from(x.subarray(r * layers[0].inputs, (r + 1) * layers[0].inputs));
    for (const layer of layers) {
      const z = Array.from({ length: layer.units }, (_, j) => {
        let sum = layer.bias[j];
        for (let p = 0; p < layer.inputs; p++) sum += values[p] * layer.kernel[p * layer.units + j];
        return sum;
      });
      if (layer.activation === "relu") values = z.map((v) => Math.max(0, v));
      else if (layer.activation === "softmax") {
        const top = Math.max(...z);
        const e = z.map((v) => Math.exp(v - top));
        const total = e.reduce((a, b) => a + b, 0);
        values = e.map((v) => v / total);
      } else values = z;
    }
    out.push(...values);
  }
  return out;
}

describe("bench/onnx-writer.mjs", () => {
  it("writes a Gemm + Relu / Softmax / linear stack that onnxruntime-web runs to the reference values", async () => {
    ort.env.wasm.numThreads = 1;
    for (const last of ["softmax", "linear"] as const) {
      const layers: OnnxDenseLayer[] = [
        { inputs: 7, units: 5, kernel: seeded(35, 1), bias: seeded(5, 2), activation: "relu" },
        { inputs: 5, units: 6, kernel: seeded(30, 3), bias: seeded(6, 4), activation: "relu" },
        { inputs: 6, units: 3, kernel: seeded(18, 5), bias: seeded(3, 6), activation: last },
      ];
      const session = await ort.InferenceSession.create(denseStackOnnx(layers));
      for (const rows of [1, 4]) {
        const x = seeded(rows * 7, 10 + rows);
        const output = await session.run({ x: new ort.Tensor("float32", x, [rows, 7]) });
        const got = Array.from(output.y.data as Float32Array);
        const want = reference(layers, x, rows);
        expect(got.length).toBe(want.length);
        got.forEach((value, i) => expect(Math.abs(value - want[i])).toBeLessThan(1e-5));
      }
      await session.release();
    }
  });
});
