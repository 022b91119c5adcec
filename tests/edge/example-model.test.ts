// The model committed with examples/worker (written by examples/worker/train.mjs) is a working digits
// classifier: it loads with both entries and classifies the digits it never saw in training well (the same
// held-out split examples/worker/train.mjs makes).

import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";
import { loadDigits, trainTestSplit } from "../../examples/datasets.mjs";
import { init, loadModel, tensor } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";

const modelUrl = `file://${fileURLToPath(new URL("../../examples/worker/model/model.json", import.meta.url))}`;

beforeAll(async () => {
  await init();
});

test("examples/worker/model classifies held-out digits with ≥ 95 % accuracy, the same with densa/infer", async () => {
  const { test: heldOut } = trainTestSplit(loadDigits(), { testFraction: 0.2, seed: 7, stratify: true });
  const model = await loadForInference(modelUrl);
  expect(model.name).toBe("digits");
  const outputs = model.predict(tensor(heldOut.x, [heldOut.count, 64]));
  let correct = 0;
  for (let i = 0; i < heldOut.count; i++) {
    const row = outputs.data.subarray(i * 10, i * 10 + 10);
    if (row.indexOf(Math.max(...row)) === heldOut.y[i]) correct++;
  }
  expect(correct / heldOut.count).toBeGreaterThanOrEqual(0.95);
  const trainable = await loadModel(modelUrl);
  expect(trainable.predict(tensor(heldOut.x, [heldOut.count, 64])).data).toEqual(outputs.data);
  model.dispose();
  trainable.dispose();
});
