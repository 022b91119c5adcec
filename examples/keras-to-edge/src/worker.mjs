// A Cloudflare Worker that serves a Keras model: model/model.keras, as saved in a notebook with
// `model.save("model.keras")`, bundled by wrangler as a Data module (an ArrayBuffer; see wrangler.toml).
// densa/infer opens the .keras bytes (zip + HDF5) and predicts with its forward-only WebAssembly kernels.
//
//   GET  /          → { name, inputShape, outputShape }
//   POST /predict   { "inputs": [[…features…], …] }  → { "outputs": [[…], …] }
import { loadModel, tensor } from "densa/infer";
import kerasFile from "../model/model.keras";

let loading;
/** The model, opened on the first request (a failed load is retried on the next). */
function model() {
  loading ??= loadModel(new Uint8Array(kerasFile)).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    const loaded = await model();
    if (request.method === "GET" && pathname === "/") {
      return Response.json({ name: loaded.name, inputShape: loaded.inputShape, outputShape: loaded.outputShape });
    }
    if (request.method !== "POST" || pathname !== "/predict")
      return Response.json({ error: "use GET / or POST /predict with { inputs }" }, { status: 404 });
    let body;
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: 'the body must be JSON: { "inputs": [[…], …] }' }, { status: 400 });
    }
    try {
      return Response.json({ outputs: loaded.predict(tensor(body?.inputs)).toArray() });
    } catch (error) {
      // densa's errors name the argument and what was expected: pass them on to the caller.
      return Response.json({ error: error.message }, { status: 400 });
    }
  },
};
