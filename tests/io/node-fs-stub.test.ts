// In a browser build, bundlers such as Vite replace node:fs with an empty module instead of failing the import:
// every file:// path (loadModel, save, CSVLogger) must then say so clearly rather than fail with a TypeError.
import { beforeAll, describe, expect, test, vi } from "vitest";
import { callbacks, init, layers, loadModel, Sequential } from "../../ts/index.js";

// NOTE: Vite's stub for a Node built-in (__vite-browser-external) has only a default export, a Proxy that
// throws on any property access; vitest's mock also throws when a missing named export is read.
vi.mock("node:fs", () => ({
  default: new Proxy(
    {},
    {
      get(_, key) {
        throw new Error(
          `Module "node:fs" has been externalized for browser compatibility. Cannot access "node:fs.${String(key)}" in client code.`,
        );
      },
    },
  ),
}));

beforeAll(() => init());

const stubbed = /needs node:fs \(Node, Deno, Bun\).*empty stub.*bundler/;

describe("node:fs replaced by a bundler's empty stub", () => {
  test("loadModel from a file:// URL", async () => {
    await expect(loadModel("file:///tmp/densa-missing/model.json")).rejects.toThrow(stubbed);
    await expect(loadModel("file:///tmp/densa-missing/model.json")).rejects.toThrow(
      /in this runtime load from an http\(s\) URL/,
    );
  });

  test("save to a file:// URL", async () => {
    const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
    await expect(model.save("file:///tmp/densa-never-written")).rejects.toThrow(stubbed);
    model.dispose();
  });

  test("CSVLogger with a file name", async () => {
    const logger = new callbacks.CSVLogger("/tmp/densa-never-written.csv");
    await expect(Promise.resolve().then(() => logger.onTrainBegin())).rejects.toThrow(stubbed);
    await expect(Promise.resolve().then(() => logger.onTrainBegin())).rejects.toThrow(/pass a sink instead/);
  });
});
