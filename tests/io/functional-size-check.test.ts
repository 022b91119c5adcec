// A Functional model file whose sizes no layer could hold (units: 1e9, an input of 1e308 values) is refused with
// an Error naming the layer before anything is allocated (the allocator's alloc is counted), in the TF.js format,
// in a .keras file, in densa/infer and through Model.fromConfig; a nested model's layer is named too. A file
// whose weights disagree with its config's shapes is refused naming the weight, with every block given back.
import { unzipSync } from "fflate";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Input, init, layers, loadModel, Model, Sequential } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { writeZip } from "../../ts/io/zip/zip-writer.js";
import { wasmUsage } from "../helpers/model-fixtures.js";

beforeAll(() => init());
afterEach(() => vi.restoreAllMocks());

type Json = Record<string, any>;

/** x → [Dense "wide", Dense "side" (or a nested Sequential "inner")] → Concatenate → Dense "out". */
function makeModel(nested = false): Model {
  const x = Input({ shape: [4], name: "x" });
  const side = nested
    ? new Sequential([new layers.Dense(3, { inputShape: [4], name: "inner_dense" })], { name: "inner" })
    : new layers.Dense(3, { name: "side" });
  const wide = new layers.Dense(3, { activation: "relu", name: "wide" }).apply(x);
  const joined = new layers.Concatenate({ name: "join" }).apply([wide, side.apply(x)]);
  return new Model({ inputs: x, outputs: new layers.Dense(2, { name: "out" }).apply(joined), name: "sized" });
}

/** The layer entry named `name` in a config (Keras's snake_case or densa's camelCase), nested models searched. */
function entryNamed(config: Json, name: string): Json {
  const layersOf = (model: Json): Json[] => (model.config?.layers ?? model.layers ?? []) as Json[];
  const search = (list: Json[]): Json | undefined => {
    for (const entry of list) {
      if ((entry.config?.name ?? entry.name) === name) return entry;
      const inner = search(layersOf(entry));
      if (inner) return inner;
    }
    return undefined;
  };
  const found = search(layersOf(config.model_config ?? config));
  if (!found) throw new Error(`test: no layer ${name}`);
  return found;
}

/** Runs `load`, expecting a rejection matching `pattern`, and returns how many blocks were allocated meanwhile. */
async function allocationsDuring(load: () => Promise<unknown>, pattern: RegExp): Promise<number> {
  const spy = vi.spyOn(getEngine().allocator, "alloc");
  const before = wasmUsage();
  await expect(load()).rejects.toThrow(pattern);
  expect(wasmUsage()).toEqual(before);
  const count = spy.mock.calls.length;
  spy.mockRestore();
  return count;
}

async function tfjsArtifacts(edit: (topology: Json) => void, nested = false): Promise<Json> {
  const model = makeModel(nested);
  const artifacts = (await model.save()) as Json;
  model.dispose();
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
  edit(topology);
  return { ...artifacts, modelTopology: topology };
}

async function kerasBytes(edit: (config: Json) => void): Promise<Uint8Array> {
  const model = makeModel();
  const entries = unzipSync(await model.toKeras());
  model.dispose();
  const config = JSON.parse(new TextDecoder().decode(entries["config.json"]));
  edit(config);
  entries["config.json"] = new TextEncoder().encode(JSON.stringify(config));
  return writeZip(Object.entries(entries).map(([name, data]) => ({ name, data })));
}

const HUGE_WIDE = /layer "wide" \(Dense\): its output shape \[1000000000\] has 1000000000 values per sample/;

describe("sizes no layer could hold: refused before any allocation, naming the layer", () => {
  test("TF.js format: a Dense of 1e9 units, in densa and in densa/infer", async () => {
    const artifacts = await tfjsArtifacts((topology) => {
      entryNamed(topology, "wide").config.units = 1e9;
    });
    expect(await allocationsDuring(() => loadModel(artifacts as never), HUGE_WIDE)).toBe(0);
    expect(await allocationsDuring(() => loadForInference(artifacts as never), HUGE_WIDE)).toBe(0);
  });

  test("TF.js format: an input of 1e308 values names the InputLayer", async () => {
    const artifacts = await tfjsArtifacts((topology) => {
      const input = entryNamed(topology, "x").config;
      input.batch_input_shape = [null, 1e154, 1e154];
    });
    expect(
      await allocationsDuring(
        () => loadModel(artifacts as never),
        /layer "x" \(InputLayer\): its shape \[1e\+154, 1e\+154\] has 1e\+308 values per sample/,
      ),
    ).toBe(0);
  });

  test(".keras file: a Dense of 1e9 units", async () => {
    const bytes = await kerasBytes((config) => {
      entryNamed(config, "wide").config.units = 1e9;
    });
    expect(await allocationsDuring(() => loadModel(bytes), HUGE_WIDE)).toBe(0);
  });

  test("Model.fromConfig of a user's config", async () => {
    const model = makeModel();
    const config = JSON.parse(JSON.stringify(model.getConfig()));
    model.dispose();
    entryNamed(config, "wide").config.units = 1e9;
    expect(await allocationsDuring(async () => Model.fromConfig(config), HUGE_WIDE)).toBe(0);
  });

  test("a layer of a nested model is named, and the memory of what was built is given back", async () => {
    const artifacts = await tfjsArtifacts((topology) => {
      entryNamed(topology, "inner_dense").config.units = 1e9;
    }, true);
    await allocationsDuring(
      () => loadModel(artifacts as never),
      /inner_dense.*its output shape \[1000000000\] has 1000000000 values per sample/,
    );
  });
});

describe("weights that disagree with the config's shapes", () => {
  test("TF.js and .keras: the error names the weight and its layer, and every block is given back", async () => {
    const artifacts = await tfjsArtifacts((topology) => {
      entryNamed(topology, "wide").config.units = 5;
    });
    await allocationsDuring(() => loadModel(artifacts as never), /wide\/kernel.*shape \[4, 3\].*\[4, 5\]/);
    const bytes = await kerasBytes((config) => {
      entryNamed(config, "wide").config.units = 5;
    });
    await allocationsDuring(() => loadModel(bytes), /wide|dense/);
  });
});
