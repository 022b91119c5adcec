// The same service on Deno (Deno.serve) or Bun (Bun.serve), reading the model files with file://.
//   deno run --allow-net=127.0.0.1 --allow-read src/serve.mjs [port]      bun src/serve.mjs [port]
// Prints "listening on http://127.0.0.1:<port>" once it accepts requests (port 0 or none: a free one).
import { loadModel } from "densa/infer";
import { createHandler } from "./app.mjs";

const modelUrl = new URL("../model/model.json", import.meta.url).href;
const handle = createHandler(() => loadModel(modelUrl));
const port = Number(globalThis.Deno ? (Deno.args[0] ?? 0) : (process.argv[2] ?? 0));

if (globalThis.Deno) {
  Deno.serve(
    { hostname: "127.0.0.1", port, onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`) },
    handle,
  );
} else if (globalThis.Bun) {
  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: handle });
  console.log(`listening on http://127.0.0.1:${server.port}`);
} else {
  throw new Error(
    "serve.mjs runs on Deno or Bun; on Node, put the handler behind your HTTP server, or use wrangler dev",
  );
}
