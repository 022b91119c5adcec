// Training app the way the TensorFlow.js docs write it: the tfjs umbrella package plus the wasm backend.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

await tf.setBackend("wasm");
const count = 256;
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
    tf.layers.dense({ units: 64, activation: "relu" }),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
const x = tf.randomUniform([count, 784]);
const y = tf.oneHot(tf.fill([count], 3, "int32"), 10).toFloat();
await model.fit(x, y, { epochs: 1, batchSize: 32 });
console.log(model.predict(tf.tensor2d(new Float32Array(784), [1, 784])).dataSync());
