// Cloudflare Worker entry. wrangler bundles model/model.json into the script and model/weights.bin as a Data
// module (an ArrayBuffer); "densa/infer" resolves to its `workerd` build, which imports the forward-only
// kernels as a compiled WebAssembly module (Workers may not compile WebAssembly from bytes).
import { loadModel } from "densa/infer";
import modelJson from "../model/model.json";
import weights from "../model/weights.bin";
import { createHandler } from "./app.mjs";

const handle = createHandler(() => loadModel({ modelJson, weights }));

export default {
  fetch: (request) => handle(request),
};
