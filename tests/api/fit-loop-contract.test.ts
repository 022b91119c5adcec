// A miniature fit loop built only from this package's pieces, following the call order documented in
// ts/callbacks/callback.ts. The "model" learns nothing: its loss is scripted per epoch. It shows the model
// engineer how the pieces connect, and checks that together they give Keras's History and output.
import { describe, expect, it } from "vitest";
import type { Logs } from "../../ts/callbacks/callback.js";
import { CallbackList } from "../../ts/callbacks/callback-list.js";
import { EarlyStopping } from "../../ts/callbacks/early-stopping.js";
import { checkInputShape, checkSameSampleCount } from "../../ts/data/checks.js";
import { sampleSize, toFloatData } from "../../ts/data/convert.js";
import { BatchIndexer, gatherRows } from "../../ts/training/batch-indexer.js";
import { parseCallArguments } from "../../ts/training/call-arguments.js";
import { resolveFitOptions, shouldValidate } from "../../ts/training/fit-options.js";
import { splitValidation } from "../../ts/training/validation-split.js";
import { StringOutput } from "../../ts/utils/output.js";
import { createYielder } from "../../ts/utils/yield.js";
import { FakeModel } from "./fake-model.js";

async function miniFit(model: FakeModel, losses: number[], output: StringOutput, ...args: unknown[]) {
  // 1. validate and convert everything first
  const call = parseCallArguments("fit", args[0], args[1], args[2]);
  if (call.kind !== "arrays") throw new Error("arrays only in this sketch");
  const config = resolveFitOptions(call.options, { dataset: false });
  let x = checkInputShape(toFloatData(call.x, "fit", "x"), [2], "fit", "x");
  let y = toFloatData(call.y, "fit", "y");
  checkSameSampleCount(x, y, "fit", "x", "y");
  let validation: ReturnType<typeof splitValidation>["validation"] | undefined;
  if (config.validationSplit > 0)
    ({
      train: { x, y },
      validation,
    } = splitValidation({ x, y }, config.validationSplit));
  const indexer = new BatchIndexer(x.shape[0], config.batchSize, { shuffle: config.shuffle, seed: config.seed });
  const batchX = new Float32Array(config.batchSize * sampleSize(x)); // allocated once, reused every step
  // 2-4. callbacks
  model.stopTraining = false;
  const list = new CallbackList(config.callbacks, {
    addHistory: true,
    addProgressBar: config.verbose !== 0,
    model,
    params: { epochs: config.epochs, steps: indexer.numBatches, verbose: config.verbose },
    output,
  });
  const yielder = createYielder();
  const logs: Logs = {};
  let epochLogs: Logs = {};
  await list.onTrainBegin();
  for (let epoch = config.initialEpoch; epoch < config.epochs; epoch++) {
    await list.onEpochBegin(epoch);
    indexer.startEpoch(epoch);
    for (let b = 0; b < indexer.numBatches; b++) {
      const begin = list.onBatchBegin(b, logs);
      if (begin) await begin;
      gatherRows(x.data, sampleSize(x), indexer.order, indexer.batchStart(b), indexer.batchLength(b), batchX);
      logs.accuracy = 1 - losses[epoch]; // "running means", keys inserted sorted
      logs.loss = losses[epoch];
      const end = list.onBatchEnd(b, logs);
      if (end) await end;
      if (model.stopTraining) break;
      const pause = yielder.maybeYield();
      if (pause) await pause;
    }
    epochLogs = { accuracy: logs.accuracy, loss: logs.loss };
    if (validation && shouldValidate(epoch, config.validationFreq)) {
      epochLogs.val_accuracy = 1 - losses[epoch] - 0.05;
      epochLogs.val_loss = losses[epoch] + 0.05;
    }
    await list.onEpochEnd(epoch, epochLogs);
    if (model.stopTraining) break;
  }
  await list.onTrainEnd(epochLogs);
  return list.history!;
}

describe("the fit loop contract", () => {
  const x = Array.from({ length: 10 }, (_, i) => [i, -i]);
  const y = Array.from({ length: 10 }, (_, i) => i % 2);

  it("gives Keras's History and progress output", async () => {
    const output = new StringOutput(false);
    const model = new FakeModel();
    const history = await miniFit(model, [0.5, 0.4, 0.45, 0.46, 0.3], output, x, y, {
      epochs: 5,
      batchSize: 4,
      validationSplit: 0.2,
      seed: 1,
      callbacks: [new EarlyStopping({ patience: 2 })],
    });
    // validation on the last 2 samples → 8 training samples → 2 batches; val_loss stops improving after epoch 1
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(Object.keys(history.history)).toEqual(["accuracy", "loss", "val_accuracy", "val_loss"]);
    expect(history.history.loss).toEqual([0.5, 0.4, 0.45, 0.46]);
    expect(history.params).toEqual({ epochs: 5, steps: 2, verbose: 1 });
    const lines = output.text.trimEnd().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe("Epoch 1/5");
    expect(lines[1]).toMatch(
      /^2\/2 ━{20} \d+s \d+(us|ms)\/step - accuracy: 0\.5000 - loss: 0\.5000 - val_accuracy: 0\.4500 - val_loss: 0\.5500$/,
    );
  });

  it("rejects bad input before any callback runs", async () => {
    const model = new FakeModel();
    const output = new StringOutput();
    await expect(miniFit(model, [1], output, [[1, 2, 3]], [1], {})).rejects.toThrow(
      "fit: x has 3 features per sample but the model's input shape is [2]",
    );
    await expect(miniFit(model, [1], output, x, y, { batchSize: 0 })).rejects.toThrow(
      "fit: batchSize must be a positive integer, got 0",
    );
    expect(output.text).toBe("");
  });
});
