// The rules by which Keras 3 places weights, tested on files written by h5py (independent of densa's writer) and
// by densa: class-name counting rather than layer names, numeric vars order, nested models, Functional inputs
// listed out of order, the name attribute, and Keras's own snake_case.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential, tensor } from "../../../ts/index.js";
import type { Hdf5File } from "../../../ts/io/hdf5/hdf5-file.js";
import { findGroup } from "../../../ts/io/keras/hdf5-paths.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { kerasSnakeCase } from "../../../ts/io/keras/keras-variables.js";
import { kerasWeightPlaces } from "../../../ts/io/keras/keras-weight-places.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";
import { DUMP_H5, python, runPython } from "./h5py.js";
import { denseSequentialConfig, writeSyntheticKeras } from "./python-keras-writer.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-keras-rules-"));
let counter = 0;
const values = (count: number, seed: number) =>
  Array.from({ length: count }, (_, i) => Math.fround(Math.sin(seed * 100 + i) / 2));

beforeAll(async () => {
  await init();
});

/** Writes a synthetic .keras with h5py and returns its bytes. */
function h5pyKeras(spec: Parameters<typeof writeSyntheticKeras>[0]): Uint8Array {
  const base = join(scratch, `synthetic-${counter++}`);
  writeSyntheticKeras(spec, `${base}.json`, `${base}.keras`, (path, text) => writeFileSync(path, text));
  return new Uint8Array(readFileSync(`${base}.keras`));
}

describe("Keras's snake_case of class names", () => {
  test.skipIf(!python)("matches keras.src.utils.naming.to_snake_case (run in Python)", () => {
    const names = [
      "Dense",
      "BatchNormalization",
      "LeakyReLU",
      "Conv2D",
      "PReLU",
      "ReLU",
      "GlobalAveragePooling1D",
      "InputLayer",
      "LayerNormalization",
      "Sequential",
    ];
    const script = `
import re, json, sys
def to_snake_case(name):
    name = re.sub(r"\\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\\1_\\2", name)
    name = re.sub("([a-z])([A-Z])", r"\\1_\\2", name)
    return name.lower()
print(json.dumps([to_snake_case(n) for n in json.loads(sys.argv[1])]))`;
    expect(names.map(kerasSnakeCase)).toEqual(runPython(script, JSON.stringify(names)));
  });
});

describe.skipIf(!python)("files written by h5py", () => {
  test("weights follow class counting, not layer names: two same-shaped layers whose names sort the other way", async () => {
    // "zz_first" is the first Dense (layers/dense), "aa_second" the second (layers/dense_1): by name they would swap.
    const config = denseSequentialConfig(4, [
      { units: 4, name: "zz_first" },
      { units: 4, name: "aa_second" },
      { units: 1, name: "dense_6" },
    ]);
    const datasets: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
    ["dense", "dense_1", "dense_2"].forEach((group, k) => {
      const units = k === 2 ? 1 : 4;
      datasets[`layers/${group}/vars/0`] = { dtype: "float32", shape: [4, units], values: values(4 * units, k + 1) };
      datasets[`layers/${group}/vars/1`] = { dtype: "float32", shape: [units], values: values(units, k + 11) };
    });
    const model = await loadModel(h5pyKeras({ config, datasets }));
    const byName = (name: string) => model.layers.find((layer) => layer.name === name)!;
    expect(Array.from(byName("zz_first").weights[0].read().data)).toEqual(values(16, 1));
    expect(Array.from(byName("aa_second").weights[0].read().data)).toEqual(values(16, 2));
    expect(Array.from(byName("dense_6").weights[1].read().data)).toEqual(values(1, 13));
    model.dispose();
  });

  test("optimizer/vars sorts as numbers (10 after 9) and maps Adam's interleaved slots to each weight", async () => {
    const compile = {
      optimizer: {
        module: "keras.optimizers",
        class_name: "Adam",
        config: { name: "adam", learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false },
        registered_name: null,
      },
      loss: "mse",
      metrics: ["mae"],
      loss_weights: null,
      weighted_metrics: null,
    };
    const config = denseSequentialConfig(
      3,
      [
        { units: 2, name: "a" },
        { units: 2, name: "b" },
        { units: 1, name: "c" },
      ],
      compile,
    );
    const shapes = [[3, 2], [2], [2, 2], [2], [2, 1], [1]];
    const datasets: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
    shapes.forEach((shape, i) => {
      const group = ["dense", "dense_1", "dense_2"][i >> 1];
      datasets[`layers/${group}/vars/${i & 1}`] = {
        dtype: "float32",
        shape,
        values: values(
          shape.reduce((a, b) => a * b, 1),
          i,
        ),
      };
    });
    datasets["optimizer/vars/0"] = { dtype: "int64", shape: [], values: [17] };
    datasets["optimizer/vars/1"] = { dtype: "float32", shape: [], values: [0.01] };
    // m, v per variable: vars 2..13 (so 10–13 sort after 9 only as numbers).
    shapes.forEach((shape, i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      datasets[`optimizer/vars/${2 + 2 * i}`] = { dtype: "float32", shape, values: values(size, 50 + i) };
      datasets[`optimizer/vars/${3 + 2 * i}`] = { dtype: "float32", shape, values: values(size, 70 + i).map(Math.abs) };
    });
    const model = await loadModel(h5pyKeras({ config, datasets, attributes: { "optimizer/vars": { name: "adam" } } }));
    expect(model.optimizer!.iterations).toBe(17);
    const trainable = model.layers.flatMap((layer) => layer.trainableWeights);
    const state = new Map(
      model.optimizer!.getWeights(trainable).map((weight) => [weight.name, Array.from(weight.values)]),
    );
    expect(state.get("c/bias/m")).toEqual(values(1, 55));
    expect(state.get("c/bias/v")).toEqual(values(1, 75).map(Math.abs));
    expect(state.get("a/kernel/v")).toEqual(values(6, 70).map(Math.abs));
    model.dispose();
  });

  test("gzip-compressed chunked datasets (another tool's re-save) read the same values", async () => {
    const config = denseSequentialConfig(5, [{ units: 3, name: "d" }]);
    const datasets = {
      "layers/dense/vars/0": { dtype: "float32", shape: [5, 3], values: values(15, 9) },
      "layers/dense/vars/1": { dtype: "float32", shape: [3], values: values(3, 8) },
    };
    const model = await loadModel(h5pyKeras({ config, datasets, compressed: true }));
    expect(Array.from(model.layers[0].weights[0].read().data)).toEqual(values(15, 9));
    model.dispose();
  });

  test("a vars group whose name attribute names another layer is refused (the counting went wrong)", async () => {
    const config = denseSequentialConfig(2, [{ units: 1, name: "out" }]);
    const datasets = {
      "layers/dense/vars/0": { dtype: "float32", shape: [2, 1], values: [1, 2] },
      "layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0] },
    };
    await expect(
      loadModel(h5pyKeras({ config, datasets, attributes: { "layers/dense/vars": { name: "someone_else" } } })),
    ).rejects.toThrow(/belongs to layer "someone_else"/);
  });
});

describe("densa's writer follows the same rules", () => {
  test.skipIf(!python)(
    "layers named against the class counting land at layers/dense, layers/dense_1 (read back by h5py)",
    async () => {
      const model = new Sequential(
        [new layers.Dense(3, { inputShape: [2], name: "zeta" }), new layers.Dense(3, { name: "alpha" })],
        { name: "m" },
      );
      const path = join(scratch, "named.keras");
      writeFileSync(path, await model.toKeras());
      const dump = runPython(DUMP_H5, path);
      expect(dump["layers/dense/vars"].attrs.name).toBe("zeta");
      expect(dump["layers/dense_1/vars"].attrs.name).toBe("alpha");
      expect(dump["layers/dense/vars/0"].values).toEqual(Array.from(model.layers[0].weights[0].read().data));
      expect(dump["layers/dense_1/vars/0"].values).toEqual(Array.from(model.layers[1].weights[0].read().data));
      model.dispose();
    },
  );
});

describe("places of nested and Functional models", () => {
  test("a nested model's layers sit under its own group, counted on their own", () => {
    const dense = (name: string) => ({ class_name: "Dense", config: { name, units: 2 } });
    const inner = {
      class_name: "Sequential",
      config: {
        name: "inner",
        layers: [{ class_name: "InputLayer", config: { name: "in2" } }, dense("x"), dense("y")],
      },
    };
    const outer = {
      class_name: "Sequential",
      config: { name: "outer", layers: [dense("first"), inner, dense("last")] },
    };
    expect(kerasWeightPlaces(outer, "test").map((place) => [place.layerName, place.path])).toEqual([
      ["first", "layers/dense"],
      ["x", "layers/sequential/layers/dense"],
      ["y", "layers/sequential/layers/dense_1"],
      ["last", "layers/dense_1"],
    ]);
  });

  test("a Functional model nested in a Functional one: its calls count from node 1, and its layers sit under layers/functional", () => {
    const tensor = (from: string, node: number) => ({
      class_name: "__keras_tensor__",
      config: { shape: [null, 2], dtype: "float32", keras_history: [from, node, 0] },
    });
    const inner = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      name: "inner",
      config: {
        name: "inner",
        trainable: true,
        layers: [
          {
            class_name: "InputLayer",
            name: "inner_in",
            config: { name: "inner_in", batch_shape: [null, 2] },
            inbound_nodes: [],
          },
          {
            class_name: "Dense",
            name: "x",
            config: { name: "x", units: 2 },
            inbound_nodes: [{ args: [tensor("inner_in", 0)], kwargs: {} }],
          },
        ],
        input_layers: [["inner_in", 0, 0]],
        output_layers: [["x", 0, 0]],
      },
      // Keras's node 0 of a Functional links its own inputs to outputs: its call in the outer model is node 1.
      inbound_nodes: [{ args: [tensor("outer_in", 0)], kwargs: {} }],
    };
    const outer = {
      class_name: "Functional",
      config: {
        name: "outer",
        layers: [
          {
            class_name: "Dense",
            name: "last",
            config: { name: "last", units: 2 },
            inbound_nodes: [{ args: [tensor("inner", 1)], kwargs: {} }],
          },
          inner,
          {
            class_name: "InputLayer",
            name: "outer_in",
            config: { name: "outer_in", batch_shape: [null, 2] },
            inbound_nodes: [],
          },
        ],
        input_layers: [["outer_in", 0, 0]],
        output_layers: [["last", 0, 0]],
      },
    };
    expect(kerasWeightPlaces(outer, "test").map((place) => [place.layerName, place.path])).toEqual([
      ["outer_in", "layers/input_layer"],
      ["inner_in", "layers/functional/layers/input_layer"],
      ["x", "layers/functional/layers/dense"],
      ["last", "layers/dense"],
    ]);
  });

  test.skipIf(!python)(
    "a nested model loads as one layer of the outer model, its weights read from its own group",
    async () => {
      const inner = {
        class_name: "Sequential",
        config: { name: "inner", layers: [{ class_name: "Dense", config: { name: "x", units: 1 } }] },
      };
      const outer = {
        class_name: "Sequential",
        config: {
          name: "outer",
          layers: [{ class_name: "InputLayer", config: { name: "i", batch_shape: [null, 2] } }, inner],
        },
      };
      const datasets = {
        "layers/sequential/layers/dense/vars/0": { dtype: "float32", shape: [2, 1], values: [0.5, -2] },
        "layers/sequential/layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0.25] },
      };
      const model = await loadModel(h5pyKeras({ config: outer, datasets }));
      expect(model.layers.map((layer) => [layer.name, layer.className])).toEqual([["inner", "Sequential"]]);
      expect(
        Array.from(
          model.predict(
            tensor([
              [1, 1],
              [2, 0],
            ]),
          ).data,
        ),
      ).toEqual([0.5 - 2 + 0.25, 1 + 0.25]);
      model.dispose();
    },
  );

  test.skipIf(!haveKerasFiles)(
    "a Functional model with its inputs listed out of order (car price): every place holds its layer's shapes",
    () => {
      const { config, weights } = readKerasArchive(
        new Uint8Array(readFileSync(`${KERAS_FILES_DIR}k3_carprice_embedding_concat.keras`)),
        "fixture",
      );
      const places = kerasWeightPlaces(config, "fixture");
      const shapes = places
        .filter((place) => place.variables.length)
        .map((place) => {
          const group = findGroup(weights as Hdf5File, `${place.path}/vars`)!;
          return [
            place.layerName,
            group.attributes.get("name")!.values[0],
            (group.get("0") as { shape: number[] }).shape,
          ];
        });
      expect(shapes).toEqual([
        ["embedding_2", "embedding_2", [119, 16]],
        ["dense_6", "dense_6", [26, 128]],
        ["dense_7", "dense_7", [128, 64]],
        ["dense_8", "dense_8", [64, 1]],
      ]);
    },
  );
});

/** A Keras 3 Functional layer entry: name, config, and one call on the named [layer, node] inputs. */
function functionalEntry(
  className: string,
  name: string,
  config: Record<string, unknown>,
  inputs: [string, number[]][],
  merge = false,
) {
  const tensors = inputs.map(([from, shape]) => ({
    class_name: "__keras_tensor__",
    config: { shape: [null, ...shape], dtype: "float32", keras_history: [from, 0, 0] },
  }));
  return {
    module: "keras.layers",
    class_name: className,
    config: { name, trainable: true, dtype: "float32", ...config },
    registered_name: null,
    name,
    inbound_nodes: className === "InputLayer" ? [] : [{ args: merge ? [tensors] : tensors, kwargs: {} }],
  };
}

describe.skipIf(!python)("Functional files: Keras's graph order, not the config's", () => {
  test("layers listed out of order, inputs listed out of order, same-shaped layers whose names sort the other way", async () => {
    // Keras 3 lists a Functional model's layers by map_graph (keras/src/ops/function.py): walking back from the
    // output, out(0) concat(1) a_dense(2) a_in(3) b_dense(4) b_in(5) are met in that order; depths are out 0,
    // concat 1, both denses 2, both inputs 3; layers go deepest first, ties in the order met:
    //   a_in, b_in, a_dense ("zz_a"), b_dense ("aa_b"), concat, out
    // so saving_lib reads layers/dense for "zz_a" and layers/dense_1 for "aa_b", whatever the config's order.
    const input = (name: string) => ({
      module: "keras.layers",
      class_name: "InputLayer",
      config: { batch_shape: [null, 3], dtype: "float32", name },
      registered_name: null,
      name,
      inbound_nodes: [],
    });
    const layers = [
      functionalEntry("Dense", "aa_b", { units: 2, activation: "linear", use_bias: true }, [["b_in", [3]]]),
      functionalEntry("Dense", "out", { units: 1, activation: "linear", use_bias: true }, [["concat", [4]]]),
      input("b_in"),
      functionalEntry(
        "Concatenate",
        "concat",
        { axis: -1 },
        [
          ["zz_a", [2]],
          ["aa_b", [2]],
        ],
        true,
      ),
      input("a_in"),
      functionalEntry("Dense", "zz_a", { units: 2, activation: "linear", use_bias: true }, [["a_in", [3]]]),
    ];
    const config = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      config: {
        name: "two",
        trainable: true,
        layers,
        input_layers: [
          ["b_in", 0, 0],
          ["a_in", 0, 0],
        ],
        output_layers: [["out", 0, 0]],
      },
      registered_name: "Functional",
    };
    const datasets: Record<string, { dtype: string; shape: number[]; values: number[] }> = {
      "layers/dense/vars/0": { dtype: "float32", shape: [3, 2], values: values(6, 1) },
      "layers/dense/vars/1": { dtype: "float32", shape: [2], values: values(2, 2) },
      "layers/dense_1/vars/0": { dtype: "float32", shape: [3, 2], values: values(6, 3) },
      "layers/dense_1/vars/1": { dtype: "float32", shape: [2], values: values(2, 4) },
      "layers/dense_2/vars/0": { dtype: "float32", shape: [4, 1], values: values(4, 5) },
      "layers/dense_2/vars/1": { dtype: "float32", shape: [1], values: values(1, 6) },
    };
    const attributes = {
      "layers/dense/vars": { name: "zz_a" },
      "layers/dense_1/vars": { name: "aa_b" },
      "layers/dense_2/vars": { name: "out" },
    };
    const model = await loadModel(h5pyKeras({ config, datasets, attributes }));
    const byName = (name: string) => model.layers.find((layer) => layer.name === name)!;
    expect(Array.from(byName("zz_a").weights[0].read().data)).toEqual(values(6, 1));
    expect(Array.from(byName("aa_b").weights[0].read().data)).toEqual(values(6, 3));
    expect(Array.from(byName("out").weights[1].read().data)).toEqual(values(1, 6));
    expect(model.inputNames).toEqual(["b_in", "a_in"]);
    // Saved again, the config lists the layers in Keras's order, and each lands where Keras reads it.
    const path = join(scratch, "graph-order.keras");
    writeFileSync(path, await model.toKeras());
    const saved = readKerasArchive(new Uint8Array(readFileSync(path)), "test").config as any;
    expect(saved.config.layers.map((layer: any) => layer.name)).toEqual([
      "a_in",
      "b_in",
      "zz_a",
      "aa_b",
      "concat",
      "out",
    ]);
    expect(saved.config.input_layers).toEqual([
      ["b_in", 0, 0],
      ["a_in", 0, 0],
    ]);
    const dump = runPython(DUMP_H5, path);
    expect(
      ["input_layer", "input_layer_1", "dense", "dense_1", "concatenate", "dense_2"].map(
        (group) => dump[`layers/${group}/vars`].attrs.name,
      ),
    ).toEqual(["a_in", "b_in", "zz_a", "aa_b", "concat", "out"]);
    expect(dump["layers/dense/vars/0"].values).toEqual(values(6, 1));
    expect(dump["layers/dense_1/vars/0"].values).toEqual(values(6, 3));
    model.dispose();
  });

  test("a densa Functional model whose layer names differ from Keras's class counting lands at Keras's paths", async () => {
    const { Input, Model } = await import("../../../ts/index.js");
    const a = Input({ shape: [3], name: "first_in" });
    const hidden = new layers.Dense(3, { name: "zeta" }).apply(a);
    const out = new layers.Dense(3, { name: "alpha" }).apply(hidden);
    const model = new Model({ inputs: a, outputs: out, name: "m" });
    const path = join(scratch, "functional-named.keras");
    writeFileSync(path, await model.toKeras());
    const dump = runPython(DUMP_H5, path);
    expect(dump["layers/input_layer/vars"].attrs.name).toBe("first_in");
    expect(dump["layers/dense/vars"].attrs.name).toBe("zeta");
    expect(dump["layers/dense_1/vars"].attrs.name).toBe("alpha");
    expect(dump["layers/dense/vars/0"].values).toEqual(Array.from(model.getLayer("zeta").weights[0].read().data));
    expect(dump["layers/dense_1/vars/0"].values).toEqual(Array.from(model.getLayer("alpha").weights[0].read().data));
    model.dispose();
  });
});
