// A Keras 3 .keras file (written by h5py and zipfile, laid out as Keras 3's saving_lib does) whose Functional
// model nests a Sequential and a Functional model. Keras 3 numbers the outer calls of a nested Sequential model
// from 0 and of a nested Functional model from 1 (its own call is node 0); the weights of each nested model sit
// under its own group. The expected outputs are computed by hand from the weights below. Also a Keras 2 legacy
// .h5 of a nested Sequential model, written by h5py as tf.keras lays it out.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, test } from "vitest";
import { init, loadModel, Model, Sequential, tensor } from "../../ts/index.js";
import { python, runPython } from "../io/keras/h5py.js";
import { writeSyntheticKeras } from "../io/keras/python-keras-writer.js";

beforeAll(() => init());

const tensorRef = (layer: string, node: number) => ({
  class_name: "__keras_tensor__",
  config: { shape: [null, 2], dtype: "float32", keras_history: [layer, node, 0] },
});
const call = (layer: string, node: number) => [{ args: [tensorRef(layer, node)], kwargs: {} }];
const input = (name: string) => ({
  module: "keras.layers",
  class_name: "InputLayer",
  config: { batch_shape: [null, 2], dtype: "float32", sparse: false, name },
  registered_name: null,
  name,
  inbound_nodes: [],
});
const dense = (name: string, units: number) => ({
  module: "keras.layers",
  class_name: "Dense",
  config: {
    name,
    units,
    activation: "linear",
    use_bias: true,
    dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" } },
  },
});

const config = {
  module: "keras.src.models.functional",
  class_name: "Functional",
  config: {
    name: "outer",
    trainable: true,
    layers: [
      input("x"),
      {
        module: "keras",
        class_name: "Sequential",
        config: {
          name: "inner_seq",
          trainable: true,
          layers: [{ ...input("seq_in"), inbound_nodes: undefined }, dense("d1", 2)],
        },
        name: "inner_seq",
        inbound_nodes: call("x", 0),
      },
      {
        module: "keras.src.models.functional",
        class_name: "Functional",
        config: {
          name: "inner_fn",
          trainable: true,
          layers: [input("p"), { ...dense("d2", 1), name: "d2", inbound_nodes: call("p", 0) }],
          input_layers: [["p", 0, 0]],
          output_layers: [["d2", 0, 0]],
        },
        name: "inner_fn",
        inbound_nodes: call("inner_seq", 0),
      },
    ],
    input_layers: [["x", 0, 0]],
    output_layers: [["inner_fn", 1, 0]],
  },
};

const datasets = {
  "layers/sequential/layers/dense/vars/0": { dtype: "float32", shape: [2, 2], values: [1, 2, 3, 4] },
  "layers/sequential/layers/dense/vars/1": { dtype: "float32", shape: [2], values: [0.5, -0.5] },
  "layers/functional/layers/dense/vars/0": { dtype: "float32", shape: [2, 1], values: [1, -1] },
  "layers/functional/layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0.25] },
};

test.skipIf(!python)(
  "a Keras 3 Functional model nesting a Sequential and a Functional model loads nested and predicts the hand-computed values",
  async () => {
    const scratch = mkdtempSync(join(tmpdir(), "densa-nested-keras-"));
    writeSyntheticKeras({ config, datasets }, join(scratch, "spec.json"), join(scratch, "nested.keras"), (path, text) =>
      writeFileSync(path, text),
    );
    const model = await loadModel(new Uint8Array(readFileSync(join(scratch, "nested.keras"))));
    expect(model.layers.map((layer) => [layer.name, layer.className])).toEqual([
      ["x", "InputLayer"],
      ["inner_seq", "Sequential"],
      ["inner_fn", "Functional"],
    ]);
    expect(model.getLayer("inner_seq")).toBeInstanceOf(Sequential);
    expect(model.getLayer("inner_fn")).toBeInstanceOf(Model);
    // x·[[1,2],[3,4]] + [0.5,−0.5], then ·[1,−1]ᵀ + 0.25: [1,1] → [4.5,5.5] → −0.75; [2,−1] → [−0.5,−0.5] → 0.25.
    expect(
      Array.from(
        model.predict(
          tensor([
            [1, 1],
            [2, -1],
          ]),
        ).data,
      ),
    ).toEqual([-0.75, 0.25]);
    model.dispose();
  },
);

// Keras 2's legacy .h5 (tf.keras 2.15): a nested Sequential model with its own InputLayer is called at node 1
// (Keras 2 counts its own call first), and its weights sit in its group as `d1/kernel:0`.
const LEGACY_SCRIPT = `
import sys, json, h5py, numpy as np
config = json.loads(sys.argv[2])
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['keras_version'] = '2.15.0'
    f.attrs['backend'] = 'tensorflow'
    f.attrs['model_config'] = json.dumps(config)
    w = f.create_group('model_weights')
    w.attrs['layer_names'] = [n.encode('utf8') for n in ['x', 'inner_seq', 'd2']]
    def layer(name, weights):
        g = w.create_group(name)
        g.attrs['weight_names'] = [k.encode('utf8') for k, _ in weights]
        for k, (shape, values) in weights:
            g.create_dataset(k, data=np.array(values, dtype='float32').reshape(shape))
    layer('x', [])
    layer('inner_seq', [('d1/kernel:0', ([2, 2], [1, 2, 3, 4])), ('d1/bias:0', ([2], [0.5, -0.5]))])
    layer('d2', [('d2/kernel:0', ([2, 1], [1, -1])), ('d2/bias:0', ([1], [0.25]))])
print('true')
`;

const legacyConfig = {
  class_name: "Functional",
  config: {
    name: "model",
    layers: [
      {
        class_name: "InputLayer",
        config: { batch_input_shape: [null, 2], dtype: "float32", sparse: false, ragged: false, name: "x" },
        name: "x",
        inbound_nodes: [],
      },
      {
        class_name: "Sequential",
        config: {
          name: "inner_seq",
          layers: [
            {
              class_name: "InputLayer",
              config: { batch_input_shape: [null, 2], dtype: "float32", sparse: false, ragged: false, name: "seq_in" },
            },
            {
              class_name: "Dense",
              config: { name: "d1", trainable: true, dtype: "float32", units: 2, activation: "linear", use_bias: true },
            },
          ],
        },
        name: "inner_seq",
        inbound_nodes: [[["x", 0, 0, {}]]],
      },
      {
        class_name: "Dense",
        config: { name: "d2", trainable: true, dtype: "float32", units: 1, activation: "linear", use_bias: true },
        name: "d2",
        inbound_nodes: [[["inner_seq", 1, 0, {}]]],
      },
    ],
    input_layers: [["x", 0, 0]],
    output_layers: [["d2", 0, 0]],
  },
};

test.skipIf(!python)(
  "a Keras 2 legacy .h5 Functional model nesting a Sequential model loads nested and predicts the hand-computed values",
  async () => {
    const scratch = mkdtempSync(join(tmpdir(), "densa-nested-h5-"));
    const path = join(scratch, "nested.h5");
    runPython(LEGACY_SCRIPT, path, JSON.stringify(legacyConfig));
    const model = await loadModel(new Uint8Array(readFileSync(path)));
    expect(model.layers.map((layer) => [layer.name, layer.className])).toEqual([
      ["x", "InputLayer"],
      ["inner_seq", "Sequential"],
      ["d2", "Dense"],
    ]);
    expect(
      Array.from(
        model.predict(
          tensor([
            [1, 1],
            [2, -1],
          ]),
        ).data,
      ),
    ).toEqual([-0.75, 0.25]);
    model.dispose();
  },
);
