// A prediction server on Node's own `http`, serving several models at once with densa/infer.
//
//   node examples/node-server/server.mjs [port] [name=folder …]
//     default models: digits = examples/worker/model, housing = ../shared/fixtures/keras-housing beside the checkout
//     (a real Keras model converted by tensorflowjs_converter; left out, with a note, where it is absent)
//   GET  /models                      → { name: { inputShape, outputShape }, … }
//   POST /models/<name>/predict       { "inputs": [[…], …] } → { "outputs": [[…], …] }
//   GET  /stats                       → { rss, heapUsed } of this process
// Prints "listening on http://127.0.0.1:<port>" once it accepts requests (port 0 or none: a free one). It binds
// 127.0.0.1 only. scripts/loadtest.mjs puts it (and the Worker example in workerd) under load.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { init, loadModel, tensor } from "densa/infer";

const root = fileURLToPath(new URL("../../", import.meta.url));
const [portArgument = "0", ...modelArguments] = process.argv.slice(2);
const folders =
  modelArguments.length > 0
    ? Object.fromEntries(modelArguments.map((argument) => argument.split("=", 2)))
    : defaultFolders();

function defaultFolders() {
  const housing = `${root}../shared/fixtures/keras-housing`;
  if (existsSync(housing)) return { digits: `${root}examples/worker/model`, housing };
  console.warn(`note: ${housing} is absent; serving the digits model only`);
  return { digits: `${root}examples/worker/model` };
}

await init();
const models = {};
for (const [name, folder] of Object.entries(folders)) models[name] = await loadModel(`file://${folder}/model.json`);

/** Reads a request body up to `limit` bytes (a bigger one is refused, not buffered). */
function readBody(request, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error(`the body is over ${limit} bytes`), { status: 413 }));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

async function handle(request, response) {
  const { pathname } = new URL(request.url, "http://127.0.0.1");
  if (request.method === "GET" && pathname === "/models") {
    return send(
      response,
      200,
      Object.fromEntries(
        Object.entries(models).map(([name, model]) => [
          name,
          { inputShape: model.inputShape, outputShape: model.outputShape },
        ]),
      ),
    );
  }
  if (request.method === "GET" && pathname === "/stats") {
    const { rss, heapUsed } = process.memoryUsage();
    return send(response, 200, { rss, heapUsed });
  }
  const match = /^\/models\/([^/]+)\/predict$/.exec(pathname);
  if (request.method !== "POST" || !match)
    return send(response, 404, { error: "use GET /models, or POST /models/<name>/predict with { inputs }" });
  const model = Object.hasOwn(models, match[1]) ? models[match[1]] : undefined;
  if (!model)
    return send(response, 404, {
      error: `no model ${JSON.stringify(match[1])}; there are ${Object.keys(models).join(", ")}`,
    });
  let body;
  try {
    body = JSON.parse(await readBody(request));
  } catch (error) {
    return send(response, error.status ?? 400, {
      error: error.status ? error.message : 'the body must be JSON: { "inputs": [[…], …] }',
    });
  }
  let outputs;
  try {
    outputs = model.predict(tensor(body?.inputs));
  } catch (error) {
    // densa's errors name the argument and what was expected: pass them on to the caller.
    return send(response, 400, { error: error.message });
  }
  return send(response, 200, { outputs: outputs.toArray() });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => send(response, 500, { error: String(error?.message ?? error) }));
});
server.listen(Number(portArgument), "127.0.0.1", () =>
  console.log(`listening on http://127.0.0.1:${server.address().port}`),
);
