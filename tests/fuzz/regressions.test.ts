// Inputs the fuzz tests once broke, kept as named cases: each is the counterexample fast-check printed (with the
// seed and path that found it), and the same defect written out by hand so that the case reads on its own.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { globalGenerator } from "../../ts/engine/random.js";
import { init, loadModel, type ModelSource } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { type LoaderCase, prepareLoaderCases, runLoaderCase } from "./loader-cases.js";
import type { BaseModel } from "./model-corpus.js";
import { expectOwnError } from "./own-error.js";

let bases: BaseModel[];
let cleanUp: () => void;
beforeAll(async () => {
  await init();
  globalGenerator();
  ({ bases, cleanUp } = await prepareLoaderCases());
});
afterAll(() => cleanUp());

/** Loads with both entries; each must refuse with `loadModel: …` matching `message`, memory as it was. */
async function expectRefused(make: () => ModelSource, message: RegExp): Promise<void> {
  const allocator = getEngine().allocator;
  const before = [allocator.bytesInUse, allocator.liveBlocks];
  for (const load of [(source: ModelSource) => loadModel(source), (source: ModelSource) => loadForInference(source)]) {
    const error = await load(make()).then(
      () => null,
      (caught: unknown) => caught,
    );
    expectOwnError(error, "loadModel");
    expect((error as Error).message).toMatch(message);
  }
  expect([allocator.bytesInUse, allocator.liveBlocks]).toEqual(before);
}

/** The intact densa classifier (base 1), with `edit` applied to its model.json. */
function classifierWith(edit: (json: any) => void): () => ModelSource {
  return () => {
    const json = structuredClone(bases[1].modelJson) as any;
    edit(json);
    return { modelJson: json, weights: bases[1].weights };
  };
}

describe("names that are Object.prototype's keys ('constructor', '__proto__') are unknown names, not Object's", () => {
  // seed 1, path "454": `TypeError: layer.dispose is not a function` — LAYER_CLASSES["constructor"] is Object.
  test("fast-check counterexample, seed 1 path 454", async () => {
    const spec: LoaderCase = {
      base: 1559624761,
      form: "file",
      entry: "densa",
      compile: true,
      tree: [
        { kind: "delete", at: 429223915 },
        { kind: "replace", at: 857163800, value: "constructor" },
      ],
      text: null,
      bytes: null,
      split: -1,
    };
    expect(await runLoaderCase(spec)).toBeNull();
  });

  // seed 2, path "3292": `TypeError: factory is not a function` — LAYER_CLASSES["__proto__"] is Object.prototype.
  test("fast-check counterexample, seed 2 path 3292", async () => {
    const spec: LoaderCase = {
      base: 30,
      form: "modelJson",
      entry: "infer",
      compile: true,
      tree: [
        { kind: "replace", at: 1857469248, value: 0 },
        { kind: "replace", at: 802631518, value: "__proto__" },
        { kind: "replace", at: 1034833478, value: [null] },
      ],
      text: { kind: "insert", at: 1242608960, char: "]" },
      bytes: null,
      split: 582580117,
    };
    expect(await runLoaderCase(spec)).toBeNull();
  });

  test("layer class", async () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      await expectRefused(
        classifierWith((json) => (json.modelTopology.model_config.config.layers[0].class_name = name)),
        new RegExp(`loadModel: layer 0: densa cannot run layer class "${name}"`),
      );
    }
  });

  test("activation", async () => {
    await expectRefused(
      classifierWith((json) => (json.modelTopology.model_config.config.layers[0].config.activation = "constructor")),
      /loadModel: layer 0.*unknown activation "constructor"/,
    );
  });

  test("loss, metric and optimizer of the training config (loadModel compiles; densa/infer ignores it)", async () => {
    const refusedByTrainer = async (edit: (config: any) => void, message: RegExp) => {
      const make = classifierWith((json) => edit(json.modelTopology.training_config));
      const error = await loadModel(make()).then(
        () => null,
        (caught: unknown) => caught,
      );
      expectOwnError(error, "loadModel");
      expect((error as Error).message).toMatch(message);
      (await loadForInference(make())).dispose();
    };
    await refusedByTrainer((config) => (config.loss = "constructor"), /unknown loss "constructor"/);
    await refusedByTrainer((config) => (config.loss = "__proto__"), /unknown loss "__proto__"/);
    await refusedByTrainer((config) => (config.metrics = ["constructor"]), /unknown metric "constructor"/);
    await refusedByTrainer(
      (config) => (config.metrics = [{ class_name: "constructor", config: {} }]),
      /unknown metric "constructor"/,
    );
    await refusedByTrainer((config) => (config.optimizer_config.class_name = "constructor"), /unknown optimizer/);
  });
});

describe("sizes no layer could hold are refused before anything is allocated", () => {
  // seeds 6 / 7 / 8, paths "2149" / "5791" / "246": `RangeError: Invalid array length` in Normalization's build,
  // from a batch_input_shape or units of 2^31, 2^32 or 1e308 flowing into a JS array of that length.
  const counterexamples: [string, LoaderCase][] = [
    [
      "seed 6 path 2149",
      {
        base: 12,
        form: "modelJson",
        entry: "densa",
        compile: true,
        tree: [
          { kind: "repeatElement", at: 1809224992 },
          { kind: "dropElement", at: 448364422 },
          { kind: "replace", at: 457836604, value: 4294967296 },
        ],
        text: { kind: "truncate", at: 345749360, char: " " },
        bytes: { kind: "overwrite", at: 380087588, count: 3, byte: 248 },
        split: 2147483623,
      },
    ],
    [
      "seed 7 path 5791",
      {
        base: 1338212913,
        form: "file",
        entry: "densa",
        compile: true,
        tree: [
          { kind: "replace", at: 17, value: 1e308 },
          { kind: "dropElement", at: 970084486 },
        ],
        text: null,
        bytes: null,
        split: -1,
      },
    ],
    [
      "seed 8 path 246",
      {
        base: 786555604,
        form: "artifacts",
        entry: "densa",
        compile: true,
        tree: [
          { kind: "delete", at: 1974018007 },
          { kind: "replace", at: 1822173355, value: 2147483648 },
        ],
        text: null,
        bytes: null,
        split: 375246998,
      },
    ],
  ];
  for (const [name, spec] of counterexamples) {
    test(`fast-check counterexample, ${name}`, async () => {
      expect(await runLoaderCase(spec)).toBeNull();
    });
  }

  test("an input shape or a layer output of more than 2^28 values per sample", async () => {
    const regressor = () => bases[2];
    const withInput = (shape: unknown[]) => () => {
      const json = structuredClone(regressor().modelJson) as any;
      json.modelTopology.model_config.config.layers[0].config.batch_input_shape = shape;
      return { modelJson: json, weights: regressor().weights };
    };
    for (const dim of [2 ** 31, 2 ** 32, 1e308]) {
      await expectRefused(
        withInput([null, dim, 3]),
        /loadModel: the model's input shape \[.*\] has .* values per sample; densa's WebAssembly memory \(4 GiB\) holds at most 268435456/,
      );
    }
    await expectRefused(
      classifierWith((json) => (json.modelTopology.model_config.config.layers[0].config.units = 1e9)),
      /loadModel: layer 0 \(dense\): its output shape \[1000000000\] has 1000000000 values per sample/,
    );
  });
});
