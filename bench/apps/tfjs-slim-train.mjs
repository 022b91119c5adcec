// Training app with the smallest tfjs imports that still work: core + layers + wasm backend.
import { fill, oneHot, randomUniform, setBackend, tensor2d, train } from "@tensorflow/tfjs-core";
import { layers, sequential } from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-wasm";

await setBackend("wasm");
const count = 256;
const model = sequential({
  layers: [
    layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
    layers.dense({ units: 64, activation: "relu" }),
    layers.dense({ units: 10, activation: "softmax" }),
  ],
});
model.compile({ optimizer: train.adam(1e-3), loss: "categoricalCrossentropy" });
const x = randomUniform([count, 784]);
const y = oneHot(fill([count], 3, "int32"), 10).toFloat();
await model.fit(x, y, { epochs: 1, batchSize: 32 });
console.log(model.predict(tensor2d(new Float32Array(784), [1, 784])).dataSync());
