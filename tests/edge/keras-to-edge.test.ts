// examples/keras-to-edge: the Worker that serves a .keras file runs in workerd (bundled as wrangler bundles it,
// the .keras as a Data module) and answers as densa does in Node — with the example's own model, and with a real
// notebook's model.keras (../shared/fixtures/keras-files/k3_churn_sigmoid.keras, read in place) against the
// fixture's numpy reference outputs.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { init, loadModel, tensor } from "../../ts/index.js";
import { firstMiss, haveKerasFiles, KERAS_FILES_DIR } from "../io/keras/fixtures.js";
import { projectRoot, type Server, startWorkerd } from "./servers.js";

const built = existsSync(join(projectRoot, "dist/densa-infer.workerd.js"));
if (!built) console.warn("SKIPPED tests/edge/keras-to-edge.test.ts: dist/ is missing (npm run build)");
const exampleModel = join(projectRoot, "examples/keras-to-edge/model/model.keras");

/** The example in a consumer project (node_modules/densa → this package) with `kerasFile` as its model, served by workerd. */
async function serve(kerasFile: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "densa-keras-edge-"));
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(projectRoot, join(dir, "node_modules/densa"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "keras-edge-consumer", private: true, type: "module" }),
  );
  cpSync(join(projectRoot, "examples/keras-to-edge/src"), join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "model"));
  copyFileSync(kerasFile, join(dir, "model/model.keras"));
  const out = join(dir, "worker");
  mkdirSync(out);
  const modules: { name: string; kind: "wasm" | "data" }[] = [];
  await esbuild.build({
    entryPoints: [join(dir, "src/worker.mjs")],
    outfile: join(out, "worker.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "silent",
    plugins: [
      {
        name: "worker-modules",
        setup(build) {
          build.onResolve({ filter: /\.(wasm|keras)$/ }, (args) => {
            const name = basename(args.path);
            copyFileSync(resolve(args.resolveDir, args.path), join(out, name));
            if (!modules.some((module) => module.name === name))
              modules.push({ name, kind: name.endsWith(".wasm") ? "wasm" : "data" });
            return { path: `./${name}`, external: true };
          });
        },
      },
    ],
  });
  return startWorkerd(out, modules);
}

const post = async (server: Server, inputs: number[][]) => {
  const response = await fetch(`${server.url}/predict`, { method: "POST", body: JSON.stringify({ inputs }) });
  return { status: response.status, body: await response.json() };
};

describe.skipIf(!built)("examples/keras-to-edge in workerd", () => {
  const servers: Server[] = [];
  beforeAll(async () => {
    await init();
    // NOTE: the example's stand-in model is not committed (a generated binary): its own script writes it, from
    // the built package, as a user of the example would.
    if (!existsSync(exampleModel)) {
      execFileSync(process.execPath, [join(projectRoot, "examples/keras-to-edge/make-model.mjs")], { stdio: "pipe" });
    }
  }, 60_000);
  afterAll(() => servers.forEach((server) => server.stop()));

  test("serves the example's model.keras: the same predictions as densa in Node, and errors as 400 with densa's message", async () => {
    const server = await serve(exampleModel);
    servers.push(server);
    const info = await (await fetch(`${server.url}/`)).json();
    expect(info).toEqual({ name: "churn", inputShape: [12], outputShape: [1] });
    const inputs = Array.from({ length: 5 }, (_, r) =>
      Array.from({ length: 12 }, (_, c) => Math.fround(((r * 12 + c) % 9) / 4 - 1)),
    );
    const local = await loadModel(new Uint8Array(readFileSync(exampleModel)));
    const expected = Array.from(local.predict(tensor(inputs)).data);
    const { status, body } = await post(server, inputs);
    expect(status).toBe(200);
    expect(body.outputs.flat()).toEqual(expected);
    const bad = await post(server, [[1, 2, 3]]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/3 features|shape/);
    local.dispose();
  }, 60_000);

  test.skipIf(!haveKerasFiles)(
    "serves a notebook's model.keras (k3_churn_sigmoid) with the fixture's numpy outputs",
    async () => {
      const server = await serve(join(KERAS_FILES_DIR, "k3_churn_sigmoid.keras"));
      servers.push(server);
      const inputs = JSON.parse(readFileSync(join(KERAS_FILES_DIR, "k3_churn_sigmoid.inputs.json"), "utf8"));
      const expected = JSON.parse(readFileSync(join(KERAS_FILES_DIR, "k3_churn_sigmoid.expected.json"), "utf8"));
      const { status, body } = await post(server, inputs.inputs);
      expect(status).toBe(200);
      expect(firstMiss(body.outputs.flat(), expected.outputs.flat())).toBeNull();
    },
    60_000,
  );
});
