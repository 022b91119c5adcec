// Predict-only app the way the TensorFlow.js docs write it: the tfjs umbrella package plus the wasm backend.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

await tf.setBackend("wasm");
const model = await tf.loadLayersModel(new URL("./model/model.json", location.href).href);
console.log(model.predict(tf.tensor2d(new Float32Array(784), [1, 784])).dataSync());
