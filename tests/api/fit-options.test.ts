import { describe, expect, it } from "vitest";
import { EarlyStopping } from "../../ts/callbacks/early-stopping.js";
import { resolvePredictOptions } from "../../ts/models/predict-options.js";
import { resolveEvaluateOptions } from "../../ts/training/evaluate-options.js";
import { resolveFitOptions, shouldValidate } from "../../ts/training/fit-options.js";

describe("resolveFitOptions", () => {
  it("applies Keras's defaults", () => {
    const config = resolveFitOptions(undefined, { dataset: false });
    expect(config).toMatchObject({
      epochs: 1,
      batchSize: 32,
      verbose: 1, // "auto"
      callbacks: [],
      validationSplit: 0,
      validationData: undefined,
      shuffle: true,
      initialEpoch: 0,
      stepsPerEpoch: undefined,
      validationBatchSize: 32,
      validationFreq: 1,
      seed: undefined,
    });
    expect(resolveFitOptions({ batchSize: 8 }, { dataset: false }).validationBatchSize).toBe(8);
  });

  it("normalizes validation data forms", () => {
    const x = [[1]];
    const y = [1];
    expect(resolveFitOptions({ validationData: [x, y] }, { dataset: false }).validationData).toEqual({
      kind: "arrays",
      x,
      y,
      sampleWeight: undefined,
    });
    expect(resolveFitOptions({ validationData: [x, y, [2]] }, { dataset: false }).validationData).toEqual({
      kind: "arrays",
      x,
      y,
      sampleWeight: [2],
    });
    expect(resolveFitOptions({ validationData: { x, y } }, { dataset: false }).validationData).toEqual({
      kind: "arrays",
      x,
      y,
      sampleWeight: undefined,
    });
    const set = new Set([[x, y]]);
    expect(resolveFitOptions({ validationData: set }, { dataset: false }).validationData).toEqual({
      kind: "dataset",
      dataset: set,
    });
    expect(() => resolveFitOptions({ validationData: [x] } as never, { dataset: false })).toThrow(
      "fit: validationData must be [xVal, yVal], [xVal, yVal, sampleWeightVal], { x, y } or a data set; got an array of length 1",
    );
  });

  it("names unknown options, suggesting the camelCase spelling", () => {
    expect(() => resolveFitOptions({ batch_size: 16 }, { dataset: false })).toThrow(
      'fit: unknown option "batch_size" (did you mean "batchSize"?); valid options are "epochs", "batchSize",',
    );
    expect(() => resolveFitOptions({ epoch: 3 }, { dataset: false })).toThrow(
      'fit: unknown option "epoch" (did you mean "epochs"?); valid options are',
    );
    expect(() => resolveFitOptions(5, { dataset: false })).toThrow("fit: options must be an object, got 5");
  });

  it("checks ranges and types", () => {
    const bad = (options: object, message: string) =>
      expect(() => resolveFitOptions(options, { dataset: false })).toThrow(message);
    bad({ batchSize: 0 }, "fit: batchSize must be a positive integer, got 0");
    bad({ batchSize: 2.5 }, "fit: batchSize must be a positive integer, got 2.5");
    bad({ epochs: -1 }, "fit: epochs must be a non-negative integer, got -1");
    bad({ epochs: "10" }, 'fit: epochs must be a non-negative integer, got string "10"');
    bad({ validationSplit: 1 }, "fit: validationSplit must be a number in [0, 1), got 1");
    bad({ verbose: 3 }, 'fit: verbose must be one of 0, 1, 2, "auto", got 3');
    bad({ shuffle: "yes" }, 'fit: shuffle must be true, false or "batch", got string "yes"');
    bad({ initialEpoch: -2 }, "fit: initialEpoch must be a non-negative integer, got -2");
    bad({ stepsPerEpoch: 0 }, "fit: stepsPerEpoch must be a positive integer, got 0");
    bad({ validationFreq: 0 }, "fit: validationFreq must be a positive integer, got 0");
    bad({ validationFreq: [] }, "fit: validationFreq must be a positive integer or a non-empty array of epoch numbers");
    bad({ seed: -1 }, "fit: seed must be a non-negative integer, got -1");
    bad({ callbacks: [{ onEpochEnd() {} }] }, "fit: callbacks[0] must be a Callback");
    bad(
      { callbacks: new EarlyStopping() },
      "fit: callbacks must be an array of Callback, got an object of class EarlyStopping",
    );
    bad({ classWeight: { 0: 1 }, sampleWeight: [1] }, "fit: pass either classWeight or sampleWeight, not both");
  });

  it("refuses array-only options with a data set", () => {
    expect(() => resolveFitOptions({ validationSplit: 0.2 }, { dataset: true })).toThrow(
      "fit: validationSplit works only with array data (x, y); for a data set pass validationData instead",
    );
    expect(() => resolveFitOptions({ sampleWeight: [1] }, { dataset: true })).toThrow(
      "fit: with a data set, give sample weights inside each batch",
    );
  });

  it("evaluate and predict options", () => {
    expect(resolveEvaluateOptions({ batchSize: 256 }, { dataset: false })).toMatchObject({
      batchSize: 256,
      verbose: 1,
      steps: undefined,
    });
    expect(resolvePredictOptions({ verbose: 0 })).toMatchObject({ batchSize: 32, verbose: 0 });
    expect(() => resolvePredictOptions({ epochs: 2 })).toThrow(
      'predict: unknown option "epochs"; valid options are "batchSize", "verbose", "steps", "callbacks"',
    );
    expect(() => resolveEvaluateOptions({ batchSize: -4 }, { dataset: false })).toThrow(
      "evaluate: batchSize must be a positive integer, got -4",
    );
  });
});

describe("shouldValidate", () => {
  it("follows Keras's _should_eval: every N epochs, or the listed 1-based epochs", () => {
    const epochs = Array.from({ length: 6 }, (_, e) => e);
    expect(epochs.filter((e) => shouldValidate(e, 1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(epochs.filter((e) => shouldValidate(e, 2))).toEqual([1, 3, 5]);
    expect(epochs.filter((e) => shouldValidate(e, [1, 4]))).toEqual([0, 3]);
  });
});
