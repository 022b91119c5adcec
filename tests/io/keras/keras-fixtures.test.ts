// Every real Keras file in ../shared/fixtures/keras-files opens in densa (trainable) and densa/infer, by its
// bytes and by its file:// URL, and predicts the numpy reference outputs (SOURCES.md) within 1e-5 + 1e-4·|y|.
// Files that need a layer class or the Functional API densa does not have yet are skipped, saying which.
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { init, loadModel, type Tensor, tensor } from "../../../ts/index.js";
import { loadModel as loadForInference } from "../../../ts/infer.js";
import { firstMiss, KERAS_FILES_DIR, kerasFixtures } from "./fixtures.js";

const fixtures = kerasFixtures();

beforeAll(async () => {
  await init();
});

describe("Keras fixture files", () => {
  test.skipIf(fixtures.length > 0)("SKIPPED: ../shared/fixtures/keras-files is absent", () => {});

  for (const fixture of fixtures) {
    const title = `${fixture.file}${fixture.missing ? ` — SKIPPED until densa has ${fixture.missing}` : ""}`;
    test.skipIf(fixture.missing !== null)(title, async () => {
      // Several inputs (Functional models) come as one array of samples per input, in the model's input order.
      const several = Array.isArray((fixture.inputs.shape as unknown[])[0]);
      const x = several
        ? (fixture.inputs.inputs as number[][][]).map((rows, i) =>
            tensor(Float32Array.from(rows.flat()), (fixture.inputs.shape as number[][])[i]),
          )
        : tensor(Float32Array.from((fixture.inputs.inputs as number[][]).flat()), fixture.inputs.shape as number[]);
      const expected = fixture.expected.outputs.flat();
      const firstOutput = (y: Tensor | Tensor[]) => (Array.isArray(y) ? y[0] : y).data;
      const model = await loadModel(fixture.bytes);
      expect(firstMiss(firstOutput(model.predict(x)), expected)).toBeNull();
      model.dispose();
      const fromUrl = await loadModel(pathToFileURL(KERAS_FILES_DIR + fixture.file).href);
      expect(firstMiss(firstOutput(fromUrl.predict(x)), expected)).toBeNull();
      fromUrl.dispose();
      const blob = await loadForInference(new Blob([fixture.bytes as Uint8Array<ArrayBuffer>]));
      expect(firstMiss(firstOutput(blob.predict(x as never) as Tensor | Tensor[]), expected)).toBeNull();
      blob.dispose();
    });
  }

  test("the full-model fixtures densa can run compile from their training config (Keras's loss, metrics, optimizer)", async () => {
    const runnable = fixtures.filter((fixture) => fixture.missing === null);
    for (const fixture of runnable) {
      const model = await loadModel(fixture.bytes.slice().buffer);
      expect(model.optimizer, fixture.name).not.toBeNull();
      expect(model.loss, fixture.name).not.toBeNull();
      model.dispose();
    }
  });
});
