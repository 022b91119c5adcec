// Predict-only app: load a saved model and classify one sample, with the inference-only entry.
import { init, loadModel, tensor } from "densa/infer";

await init();
const model = await loadModel(new URL("./model/model.json", location.href).href);
const pixels = new Float32Array(784);
console.log(model.predict(tensor(pixels, [1, 784])).data);
