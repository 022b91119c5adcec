// onnxruntime-web (its wasm backend, SIMD, one thread) predicting with densa's weights: the bench writes the
// model as ONNX itself (bench/onnx-writer.mjs) from a densa classifier's layers. Inference only.
// Interface: load() → { name, notes, activate(), createFromLayers(layers) → { predict(x, count) → Promise, dispose() } }.
import * as ort from "onnxruntime-web";
import { denseStackOnnx } from "../onnx-writer.mjs";

export async function load({ threads = 1 } = {}) {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  const version = ort.env.versions?.web ?? "";
  return {
    name: "onnxruntime-web",
    notes: `onnxruntime-web ${version} wasm backend, ${threads} thread(s); the ONNX model (Gemm + Relu/Softmax, opset 13) written from densa's weights`,
    async activate() {},
    async createFromLayers(layers) {
      const inputs = layers[0].inputs;
      const session = await ort.InferenceSession.create(denseStackOnnx(layers), { executionProviders: ["wasm"] });
      return {
        async predict(x, count) {
          const output = await session.run({ x: new ort.Tensor("float32", x, [count, inputs]) });
          return output.y.data;
        },
        dispose() {
          session.release();
        },
      };
    },
  };
}
