// Predict-only app that opens a Keras 3 `.keras` file (the readers load on first use, from a chunk of their own).
import { init, loadModel, tensor } from "densa/infer";

await init();
const model = await loadModel(new URL("./model.keras", location.href).href);
console.log(model.predict(tensor(new Float32Array(12), [1, 12])).data);
