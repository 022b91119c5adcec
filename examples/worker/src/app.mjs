// The prediction service, the same in every runtime: a fetch handler (Request → Response) around a model that
// densa/infer loaded. src/worker.mjs serves it from a Cloudflare Worker, src/serve.mjs from Deno or Bun.
//
//   GET  /          → { name, inputShape, outputShape }
//   POST /predict   { "inputs": [[…64 pixels in [0, 1]…], …] }
//                   → { "outputs": [[…10 class probabilities…], …], "classes": [digit, …] }
import { tensor } from "densa/infer";

/** A fetch handler for the model that `loadModel()` resolves to (called once, on the first request). */
export function createHandler(loadModel) {
  let loading;
  const model = () => {
    // NOTE: a failed load is not cached, so the next request tries again.
    loading ??= loadModel().catch((error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return async function handle(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/") {
      const { name, inputShape, outputShape } = await model();
      return Response.json({ name, inputShape, outputShape });
    }
    if (request.method !== "POST" || pathname !== "/predict") {
      return Response.json({ error: "use GET / or POST /predict with { inputs }" }, { status: 404 });
    }
    let body;
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: 'the body must be JSON: { "inputs": [[…], …] }' }, { status: 400 });
    }
    const loaded = await model();
    let outputs;
    try {
      outputs = loaded.predict(tensor(body?.inputs));
    } catch (error) {
      // densa's errors name the argument and what was expected: pass them on to the caller.
      return Response.json({ error: error.message }, { status: 400 });
    }
    const rows = outputs.toArray();
    return Response.json({ outputs: rows, classes: rows.map((row) => row.indexOf(Math.max(...row))) });
  };
}
