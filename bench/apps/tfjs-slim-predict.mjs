// Predict-only app with the smallest tfjs imports that still work: core + layers + wasm backend (no umbrella
// package, so no webgl/cpu backends, converter or data).
import { setBackend, tensor2d } from "@tensorflow/tfjs-core";
import { loadLayersModel } from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-wasm";

await setBackend("wasm");
const model = await loadLayersModel(new URL("./model/model.json", location.href).href);
console.log(model.predict(tensor2d(new Float32Array(784), [1, 784])).dataSync());
