import { InputLayer } from "../../layers/input-layer.js";
import type { Layer } from "../../layers/layer.js";
import type { SymbolicTensor } from "../../layers/symbolic-tensor.js";
import { modelTensors } from "../../models/functional-config.js";
import type { ModelBase } from "../../models/model-base.js";
import { kerasGraphOrder } from "./keras-layer-order.js";

type Json = Record<string, unknown>;
type Ref = [string, number, number];

/** Layers whose call takes `training=False` by default, which Keras 3 records in each node's kwargs. */
const TRAINING_DEFAULT_FALSE = new Set(["Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout"]);

/**
 * config.json as Keras 3 writes a Functional model: each layer as { module, class_name, config, registered_name,
 * build_config, name, inbound_nodes }, a node being { args: [keras tensor] } for a one-input layer and
 * { args: [[keras tensors]] } for a merge layer, a keras tensor { class_name: "__keras_tensor__", config: { shape,
 * dtype, keras_history: [layer, node, tensor] } } (tensor: the output of a several-output model); the layers in Keras's own order (kerasGraphOrder, which is the
 * order Keras reads the weights in); input_layers and output_layers as lists of [layer, node, 0].
 * `entryOf` makes a layer's { module, class_name, config, registered_name, build_config } (a nested model's
 * config for a model used as a layer).
 */
export function kerasFunctionalConfig(
  model: ModelBase,
  entryOf: (layer: Layer, inputShapes: readonly (readonly number[])[]) => Json,
): Json {
  const inputs = model.inputs;
  const outputs = model.outputs;
  const tensors = modelTensors(inputs, outputs);
  // NOTE: node indices count a layer's calls inside this model only, as Keras renumbers them when it saves.
  const nodeIndex = new Map<SymbolicTensor, number>();
  const callsOf = (layer: Layer) => layer.inboundNodes.filter((call) => tensors.has(call));
  // A nested Functional model's calls count from 1 (Keras's node 0 of it links its own inputs to its outputs).
  for (const layer of model.layers)
    callsOf(layer).forEach((call, n) => nodeIndex.set(call, n + (layer.className === "Functional" ? 1 : 0)));
  const ref = (tensor: SymbolicTensor): Ref => [tensor.layer.name, nodeIndex.get(tensor.call) ?? 0, tensor.outputIndex];
  const kerasTensor = (tensor: SymbolicTensor) => ({
    class_name: "__keras_tensor__",
    config: { shape: [null, ...tensor.shape], dtype: "float32", keras_history: ref(tensor) },
  });
  const entries = model.layers.map((layer): Json => {
    if (layer instanceof InputLayer) {
      const input = inputs.find((tensor) => tensor.layer === layer);
      const shape = input ? [...input.shape] : layer.outputShape;
      return {
        module: "keras.layers",
        class_name: "InputLayer",
        config: {
          batch_shape: [null, ...shape],
          dtype: "float32",
          sparse: false,
          ragged: false,
          name: layer.name,
          optional: false,
        },
        registered_name: null,
        name: layer.name,
        inbound_nodes: [],
      };
    }
    const calls = callsOf(layer);
    const inboundNodes = calls.map((call) => ({
      args: layer.inputCount === 1 ? [kerasTensor(call.inputs[0])] : [call.inputs.map(kerasTensor)],
      kwargs: TRAINING_DEFAULT_FALSE.has(layer.className) ? { training: false } : {},
    }));
    return {
      ...entryOf(
        layer,
        (calls[0]?.inputs ?? []).map((tensor) => tensor.shape),
      ),
      name: layer.name,
      inbound_nodes: inboundNodes,
    };
  });
  const inputLayers = inputs.map(ref);
  const outputLayers = outputs.map(ref);
  return {
    module: "keras.src.models.functional",
    class_name: "Functional",
    config: {
      name: model.name,
      trainable: true,
      layers: kerasGraphOrder(entries, inputLayers, outputLayers),
      input_layers: inputLayers,
      output_layers: outputLayers,
    },
    registered_name: "Functional",
    build_config: { input_shape: null },
  };
}
