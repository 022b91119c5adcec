// The load test's assertions at a short duration (npm run loadtest runs them for 60 s): examples/node-server
// (Node `http`, two models) and examples/worker in workerd, driven by autocannon on 127.0.0.1 with a bounded
// number of requests. Every request must succeed, the answers must be densa's own predictions, and the Node
// server's RSS must stay within 16 MiB of its size after warm-up. (workerd's V8 heap takes about a minute of load
// to level off, longer than a unit test should run; its RSS is asserted by `npm run loadtest`.) No timing is
// asserted.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { describeResult, loadServer, REQUESTS } from "../../scripts/loadtest-run.mjs";
import { projectRoot, type Server, startExampleWorkerd, startNodeServer } from "../../scripts/loadtest-servers.mjs";
import { init, loadModel, tensor } from "../../ts/infer.js";
import { housing } from "../helpers/keras-housing.js";

const SHORT = { seconds: 3, warmupSeconds: 2, connections: 4, maxRequests: 50_000 };
const RSS_GROWTH_LIMIT = 16 * 2 ** 20;
let workDir: string;
beforeAll(async () => {
  if (!existsSync(join(projectRoot, "dist/densa-infer.workerd.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  await init();
  workDir = mkdtempSync(join(tmpdir(), "densa-loadtest-"));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The server's answer to each request of the load, against densa/infer in this process on the same files. */
async function expectRightAnswers(
  server: Server,
  requests: typeof REQUESTS.node,
  modelFolders: string[],
): Promise<void> {
  for (const [i, request] of requests.entries()) {
    const response = await fetch(server.url + request.path, {
      method: request.method,
      body: request.body,
      headers: request.headers,
    });
    expect(response.status).toBe(200);
    const { outputs } = (await response.json()) as { outputs: number[][] };
    const model = await loadModel(`file://${modelFolders[i]}/model.json`);
    const expected = model.predict(tensor(JSON.parse(request.body).inputs)).toArray() as number[][];
    model.dispose();
    expect(outputs).toEqual(expected);
  }
}

describe("served under load", () => {
  test.skipIf(!housing)(
    "the Node http server with two models: no failed request, RSS flat after warm-up",
    async () => {
      const server = await startNodeServer();
      try {
        await expectRightAnswers(server, REQUESTS.node, [
          join(projectRoot, "examples/worker/model"),
          join(projectRoot, "../shared/fixtures/keras-housing"),
        ]);
        const figures = await loadServer({ url: server.url, pid: server.pid, requests: REQUESTS.node, ...SHORT });
        console.log(describeResult("node-server", figures));
        expect(figures.requests).toBeGreaterThan(0);
        expect(figures.failed).toBe(0);
        expect(figures.rssGrowth).toBeLessThan(RSS_GROWTH_LIMIT);
      } finally {
        server.stop();
      }
    },
    60_000,
  );

  test("the Worker example in workerd: no failed request", async () => {
    const server = await startExampleWorkerd(workDir);
    try {
      await expectRightAnswers(server, REQUESTS.workerd, [join(projectRoot, "examples/worker/model")]);
      const figures = await loadServer({ url: server.url, pid: server.pid, requests: REQUESTS.workerd, ...SHORT });
      console.log(describeResult("workerd", figures));
      expect(figures.requests).toBeGreaterThan(0);
      expect(figures.failed).toBe(0);
    } finally {
      server.stop();
    }
  }, 60_000);
});
