import { inputTensor } from "../layers/input.js";
import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { describeValue } from "../utils/describe.js";
import type { FunctionalConfig, FunctionalLayerEntry } from "./functional-config.js";
import { ModelLayer } from "./model-layer.js";
import { checkSampleSize } from "./sample-size.js";

/** Node indices a config gives a layer's calls start here (1 for a nested model with a call of its own). */
export function firstNodeIndex(layer: Layer): number {
  return layer instanceof ModelLayer ? layer.savedNodeOffset : 0;
}

/** A Functional model's layers and ends, rebuilt from its config. */
export interface RebuiltGraph {
  /** In the config's order (Keras's order of the weights). */
  layers: Layer[];
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/**
 * Rebuilds the graph of a Functional config: each layer is applied to the tensors its inbound nodes name, in
 * an order where those exist; a config whose nodes can never all be made (a cycle, a missing layer or node) is
 * an error naming them. `create` makes a layer from its entry; `initialize: false` skips the weights' random
 * draws (loaders overwrite every weight next).
 *
 * NOTE: before any layer is built, the same walk runs on shapes alone: every call's output shape is worked out
 * without building (Layer.outputShapeFor) and one whose size per sample no layer could hold is an Error naming
 * the layer, as the Sequential loader does layer by layer; so a file that says units: 1e9 allocates nothing.
 */
export function graphFromConfig(
  config: FunctionalConfig,
  create: (entry: FunctionalLayerEntry, index: number) => Layer,
  argument: string,
  initialize = true,
): RebuiltGraph {
  const layers: Layer[] = [];
  try {
    for (const [i, entry] of config.layers.entries()) layers.push(create(entry, i));
    checkUniqueNames(config, argument);
    checkShapes(config, layers, argument);
    const made = walk<SymbolicTensor>(config, layers, argument, {
      input: (layer) => inputTensor(layer),
      // NOTE: a model of several outputs used as a layer gives one tensor per output (ModelLayer.apply).
      call: (layer, inputs) => {
        const output: SymbolicTensor | SymbolicTensor[] = layer.apply(layer.inputCount === 1 ? inputs[0] : inputs, {
          initialize,
        });
        return Array.isArray(output) ? output : [output];
      },
    });
    return { layers, inputs: made.inputs, outputs: made.outputs };
  } catch (error) {
    // NOTE: all or nothing: layers built so far give their memory back before the error goes on.
    for (const layer of layers) layer.dispose();
    throw error;
  }
}

function checkUniqueNames(config: FunctionalConfig, argument: string): void {
  const seen = new Set<string>();
  for (const entry of config.layers) {
    if (seen.has(entry.name))
      throw new Error(`${argument}: layer names must be unique, and "${entry.name}" appears twice`);
    seen.add(entry.name);
  }
}

/** The shape-only walk: every call's output shapes, each checked against the per-sample limit; builds nothing. */
function checkShapes(config: FunctionalConfig, layers: readonly Layer[], argument: string): void {
  const label = (layer: Layer) => `${argument}: layer "${layer.name}" (${layer.className})`;
  walk<readonly number[]>(config, layers, argument, {
    input: (layer) => {
      const shape = layer.batchInputShape?.slice(1) as number[] | undefined;
      if (!shape?.every((dim) => Number.isInteger(dim) && dim > 0))
        throw new Error(`${label(layer)}: the input shape must be positive integers, got ${describeValue(shape)}`);
      checkSampleSize(shape, `${label(layer)}: its shape`);
      return shape;
    },
    call: (layer, shapes) => {
      // NOTE: a model used as a layer is built from its own config (and checked there); it gives its outputs' shapes.
      const outputs = layer instanceof ModelLayer && layer.built ? layer.outputShapes : [layer.outputShapeFor(shapes)];
      for (const shape of outputs) checkSampleSize(shape, `${label(layer)}: its output shape`);
      return outputs;
    },
  });
}

/** What a walk makes of an Input and of a layer call (one value per output of the call). */
interface WalkSteps<Value> {
  input(layer: InputLayer): Value;
  call(layer: Layer, inputs: Value[]): Value[];
}

/**
 * Makes every call of the config once its inputs exist (a layer's calls in order: its node n is its n-th
 * call), then returns the values the config's input_layers and output_layers name.
 */
function walk<Value>(
  config: FunctionalConfig,
  layers: readonly Layer[],
  argument: string,
  steps: WalkSteps<Value>,
): { inputs: Value[]; outputs: Value[] } {
  const made = new Map<string, Value>();
  const key = (name: string, node: number, tensor = 0) => `${name}\u0000${node}\u0000${tensor}`;
  layers.forEach((layer, i) => {
    if (layer instanceof InputLayer) made.set(key(config.layers[i].name, 0), steps.input(layer));
  });
  // NOTE: taken before any call: a nested model's first node index follows its config, not what applying it built.
  const firstNodes = new Map(layers.map((layer) => [layer, firstNodeIndex(layer)]));
  const callsMade = new Map<Layer, number>();
  let pending = config.layers.flatMap((entry, i) =>
    layers[i] instanceof InputLayer
      ? []
      : entry.inboundNodes.map((node, n) => ({ layer: layers[i], name: entry.name, node, n })),
  );
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    for (const call of pending) {
      const inputs = call.node.map(([name, node, tensor]) => made.get(key(name, node, tensor)));
      if (inputs.some((input) => input === undefined) || (callsMade.get(call.layer) ?? 0) !== call.n) {
        waiting.push(call);
        continue;
      }
      const outputs = steps.call(call.layer, inputs as Value[]);
      callsMade.set(call.layer, call.n + 1);
      const node = call.n + firstNodes.get(call.layer)!;
      outputs.forEach((output, t) => made.set(key(call.name, node, t), output));
    }
    if (waiting.length === pending.length) {
      const stuck = waiting.map(
        (call) =>
          `"${call.name}" node ${call.n} (inputs ${call.node.map(([name, node, tensor]) => `${name}[${node}][${tensor}]`).join(", ")})`,
      );
      throw new Error(
        `${argument}: the config's graph cannot be built: ${stuck.join("; ")} never get their inputs — a cycle, or a layer or node that does not exist`,
      );
    }
    pending = waiting;
  }
  const refs = (list: [string, number, number][], what: string) =>
    list.map(([name, node, index]) => {
      const value = made.get(key(name, node, index));
      if (value === undefined)
        throw new Error(
          `${argument}: ${what} names ${JSON.stringify(name)} node ${node} tensor ${index}, which the config does not make`,
        );
      return value;
    });
  return { inputs: refs(config.inputLayers, "input_layers"), outputs: refs(config.outputLayers, "output_layers") };
}
