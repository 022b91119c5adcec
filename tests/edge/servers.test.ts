// The example prediction service (examples/worker) at the edge: a Cloudflare Worker in workerd, and the same
// handler under Deno.serve and Bun.serve, each on 127.0.0.1, load a model densa saved and answer requests —
// with exactly the outputs densa gives in Node for the same files.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, type Sequential as Model, Sequential, setRandomSeed } from "../../ts/index.js";
import { randomArray } from "../helpers/wasm.js";
import {
  bundleWorker,
  createConsumer,
  projectRoot,
  type Server,
  startBun,
  startDeno,
  startWorkerd,
} from "./servers.js";

const FEATURES = 64;
const workDir = mkdtempSync(join(tmpdir(), "densa-edge-"));
let appDir: string;
let reference: Model;
const inputs = Array.from({ length: 5 }, (_, row) => Array.from(randomArray(FEATURES, 40 + row, 0, 1)));

beforeAll(async () => {
  if (!existsSync(join(projectRoot, "dist/densa-infer.workerd.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  await init();
  appDir = createConsumer(workDir);
  // A model saved by densa now (not the example's committed one), with layers and activations beyond it.
  setRandomSeed(3);
  const model = new Sequential(
    [
      new layers.Dense(24, { activation: "gelu", inputShape: [FEATURES], biasInitializer: "randomNormal" }),
      new layers.Dropout(0.2),
      new layers.Dense(12, { activation: "tanh" }),
      new layers.Dense(10, { activation: "softmax" }),
    ],
    { name: "edge_model" },
  );
  await model.save(`file://${join(appDir, "model")}`);
  model.dispose();
  reference = await loadModel(`file://${join(appDir, "model/model.json")}`);
});

afterAll(() => {
  reference?.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

async function post(server: Server, body: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}/predict`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
  });
  return { status: response.status, json: await response.json() };
}

/** The same requests for every runtime; every answer checked against densa in Node. */
async function checkServer(server: Server): Promise<void> {
  try {
    const info = await (await fetch(`${server.url}/`)).json();
    expect(info).toEqual({ name: "edge_model", inputShape: [FEATURES], outputShape: [10] });

    const expected = reference.predict(inputs);
    const { status, json } = await post(server, JSON.stringify({ inputs }));
    expect(status).toBe(200);
    // JSON carries each float32 as the shortest decimal that reads back to it: equal bit for bit.
    expect(Float32Array.from(json.outputs.flat())).toEqual(expected.data);
    const rows = expected.toArray() as number[][];
    expect(json.classes).toEqual(rows.map((row) => row.indexOf(Math.max(...row))));

    const parallel = await Promise.all(inputs.map((row) => post(server, JSON.stringify({ inputs: [row] }))));
    parallel.forEach(({ json: single }, i) =>
      expect(Float32Array.from(single.outputs[0])).toEqual(expected.data.subarray(i * 10, i * 10 + 10)),
    );

    const wrongWidth = await post(server, JSON.stringify({ inputs: [[1, 2, 3]] }));
    expect(wrongWidth).toEqual({
      status: 400,
      json: { error: "predict: x has 3 features per sample but the model's input shape is [64]" },
    });
    const notJson = await post(server, "{ inputs: ");
    expect(notJson.status).toBe(400);
    expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
  } finally {
    server.stop();
  }
}

describe("the example prediction service", () => {
  test("as a Cloudflare Worker in workerd (densa/infer's workerd build, the .wasm and weights as modules)", async () => {
    const workerDir = join(workDir, "worker");
    const modules = await bundleWorker(join(appDir, "src/worker.mjs"), workerDir);
    expect([...modules].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "densa-infer.wasm", kind: "wasm" },
      { name: "weights.bin", kind: "data" },
    ]);
    await checkServer(await startWorkerd(workerDir, modules));
  });

  test("under Deno.serve", async () => {
    await checkServer(await startDeno(workDir, workDir));
  });

  test("under Bun.serve", async () => {
    await checkServer(await startBun(workDir));
  });
});
