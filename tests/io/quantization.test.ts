// Weights that tensorflowjs_converter quantized (uint8 / uint16 with scale and min, float16) are read as tfjs
// reads them: the same float32 bits as tf.io.decodeWeights, and the same predictions as tfjs's loadLayersModel.

import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, type ModelArtifacts, Sequential, tensor, type WeightSpec } from "../../ts/index.js";
import { decodeWeights, float16ToFloat32 } from "../../ts/io/weights.js";
import { randomArray } from "../helpers/wasm.js";
import { loadTfjs, relativeMismatch, tfjsPredict } from "./tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await init();
  tf = await loadTfjs();
});

/** The converter's affine quantization: q = round((w − min) / scale), with scale = (max − min) / (2^bits − 1). */
function quantize(values: Float32Array, bits: 8 | 16): { bytes: Uint8Array; scale: number; min: number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const scale = (max - min) / (2 ** bits - 1) || 1;
  const levels = Array.from(values, (value) => Math.round((value - min) / scale));
  const quantized = bits === 8 ? Uint8Array.from(levels) : Uint16Array.from(levels);
  return { bytes: new Uint8Array(quantized.buffer), scale, min };
}

/** float32 → IEEE half, rounding to nearest even (written from the format's definition, for the tests). */
function toHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00; // rounds past the largest half, 65504
  if (magnitude < 2 ** -14) return sign | roundEven(magnitude / 2 ** -24); // subnormal: multiples of 2^-24
  const exponent = Math.floor(Math.log2(magnitude));
  let fraction = roundEven((magnitude / 2 ** exponent - 1) * 1024);
  let biased = exponent + 15;
  if (fraction === 1024) {
    fraction = 0;
    biased++;
  }
  return sign | (biased << 10) | fraction;
}

function roundEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

describe("float16", () => {
  test("every one of the 65,536 halves decodes as tfjs decodes it", () => {
    const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const ours = float16ToFloat32(halves);
    const spec = { name: "h", shape: [65536], dtype: "float32" as const, quantization: { dtype: "float16" as const } };
    const theirs = tf.io.decodeWeights(halves.buffer, [spec]).h;
    const expected = theirs.dataSync() as Float32Array;
    theirs.dispose();
    for (let i = 0; i < 65536; i++) {
      if (!Object.is(ours[i], expected[i]) && !(Number.isNaN(ours[i]) && Number.isNaN(expected[i]))) {
        throw new Error(`half 0x${i.toString(16)}: densa ${ours[i]}, tfjs ${expected[i]}`);
      }
    }
  });

  test("edge values from the format's definition", () => {
    const cases: [number, number][] = [
      [0x0000, 0],
      [0x8000, -0],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14],
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const decoded = float16ToFloat32(Uint16Array.from(cases, ([half]) => half));
    cases.forEach(([, value], i) => expect(Object.is(decoded[i], value), `0x${cases[i][0].toString(16)}`).toBe(true));
    expect(float16ToFloat32(Uint16Array.of(0x7e00, 0xfe01))).toEqual(Float32Array.of(NaN, NaN));
    // and the test's encoder agrees with the decoder where a float32 is a half
    expect(cases.map(([, value]) => toHalf(value))).toEqual(cases.map(([half]) => half));
  });
});

describe("quantized models", () => {
  /** A model, and weights with its kernels quantized the converter's way (biases stay float32). */
  function quantizedWeights(kind: "uint8" | "uint16" | "float16"): {
    model: Sequential;
    weightSpecs: WeightSpec[];
    weightData: ArrayBuffer;
    maxError: number[];
  } {
    const model = new Sequential([
      new layers.Dense(9, { activation: "relu", inputShape: [5], biasInitializer: "randomNormal" }),
      new layers.Dense(3, { activation: "softmax", biasInitializer: "randomNormal" }),
    ]);
    const specs: WeightSpec[] = [];
    const parts: Uint8Array[] = [];
    const maxError: number[] = [];
    model.layers
      .flatMap((layer) => layer.weights)
      .forEach((variable) => {
        const values = variable.read().data;
        const spec: WeightSpec = { name: variable.name, shape: [...variable.shape], dtype: "float32" };
        if (!variable.name.endsWith("kernel")) {
          parts.push(new Uint8Array(values.buffer.slice(0)));
          maxError.push(0);
        } else if (kind === "float16") {
          spec.quantization = { dtype: "float16" };
          parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
          maxError.push(Math.max(...values.map(Math.abs)) * 2 ** -11);
        } else {
          const { bytes, scale, min } = quantize(values, kind === "uint8" ? 8 : 16);
          spec.quantization = { dtype: kind, scale, min };
          parts.push(bytes);
          maxError.push(scale / 2 + 1e-7);
        }
        specs.push(spec);
      });
    const data = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
    parts.reduce((offset, part) => (data.set(part, offset), offset + part.length), 0);
    return { model, weightSpecs: specs, weightData: data.buffer, maxError };
  }

  test.each(["uint8", "uint16", "float16"] as const)(
    "%s: the same weights as tf.io.decodeWeights, the same predictions as tfjs",
    async (kind) => {
      const { model, weightSpecs, weightData, maxError } = quantizedWeights(kind);
      const withQuantized: ModelArtifacts = { ...(await model.save()), weightSpecs, weightData };
      const loaded = await loadModel(withQuantized);
      const decoded = tf.io.decodeWeights(
        withQuantized.weightData as ArrayBuffer,
        withQuantized.weightSpecs as TfModule.io.WeightsManifestEntry[],
      );
      loaded.layers
        .flatMap((layer) => layer.weights)
        .forEach((variable) => {
          expect(variable.read().data, variable.name).toEqual(decoded[variable.name].dataSync());
        });
      // quantized, so not the original kernels, but within half a step of them (the test's quantizer really ran)
      const original = model.getWeights();
      loaded.getWeights().forEach((weight, w) => {
        if (maxError[w] > 0) expect(weight.data).not.toEqual(original[w].data);
        weight.data.forEach((value, i) =>
          expect(Math.abs(value - original[w].data[i])).toBeLessThanOrEqual(maxError[w]),
        );
      });
      const reference = await tf.loadLayersModel(tf.io.fromMemory(withQuantized as TfModule.io.ModelArtifacts));
      const input = randomArray(40 * 5, 31, -2, 2);
      expect(
        relativeMismatch(loaded.predict(tensor(input, [40, 5])).data, tfjsPredict(tf, reference, input, 40), 1e-5, 3),
      ).toBeNull();
      tf.dispose(Object.values(decoded));
      reference.dispose();
      model.dispose();
      loaded.dispose();
    },
  );

  test("int32 weights, plain and quantized, decode as tfjs decodes them", () => {
    const plain = Int32Array.of(-3, 0, 7);
    const quantized = Uint8Array.of(0, 1, 2, 255);
    const specs = [
      { name: "a", shape: [3], dtype: "int32" },
      { name: "b:0", shape: [4], dtype: "int32", quantization: { dtype: "uint8", scale: 0.5, min: -1.25 } },
    ];
    const data = new Uint8Array(16);
    data.set(new Uint8Array(plain.buffer), 0);
    data.set(quantized, 12);
    const ours = decodeWeights(specs, data.buffer, "test");
    expect(ours.map((weight) => weight.name)).toEqual(["a", "b"]);
    const theirs = tf.io.decodeWeights(data.buffer, specs as TfModule.io.WeightsManifestEntry[]);
    expect(ours[0].values).toEqual(theirs.a.dataSync());
    expect(ours[1].values).toEqual(theirs["b:0"].dataSync());
    tf.dispose(Object.values(theirs));
  });
});
