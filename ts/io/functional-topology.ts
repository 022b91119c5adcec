// A Functional model's topology, read for parseTopology (topology.ts) as part of the Functional API's code
// (functional-support.ts), which densa/infer loads with a Functional model or a Keras file.
import type { FunctionalConfig, FunctionalLayerEntry, InboundRef } from "../models/functional-config.js";
import { describeValue } from "../utils/describe.js";
import { isPlainObject, type LayerEntry, parseLayer } from "./topology.js";

type Json = Record<string, unknown>;

/**
 * A Functional config: layers with `inbound_nodes` in Keras 2's and tfjs's form ([[name, node, tensor, kwargs], …]
 * per call) or Keras 3's ({ args: [keras tensors or lists of them], kwargs } per call), and the model's
 * input_layers / output_layers ([name, node, tensor] each).
 */
export function parseFunctional(config: unknown, kerasMajor: number | null, argument: string): FunctionalConfig {
  if (!isPlainObject(config) || !Array.isArray(config.layers)) {
    throw new Error(`${argument}: the Functional config must have a layers array, got ${describeValue(config)}`);
  }
  const layers: FunctionalLayerEntry[] = config.layers.map((entry, i) => {
    const parsed = parseLayer(entry, kerasMajor, `${argument}: layer ${i}`);
    const raw = entry as Json;
    const name = typeof raw.name === "string" ? raw.name : String(parsed.config.name);
    const inbound = raw.inbound_nodes ?? raw.inboundNodes ?? [];
    if (!Array.isArray(inbound))
      throw new Error(
        `${argument}: layer ${i} ("${name}") has inbound_nodes ${describeValue(inbound)}; expected an array`,
      );
    return {
      className: parsed.className,
      name,
      config: parsed.config,
      inboundNodes: inbound.map((node, n) => parseNode(node, `${argument}: layer "${name}" node ${n}`)),
    };
  });
  const refs = (value: unknown, what: string): [string, number, number][] => {
    // NOTE: Keras 3 writes a single input as one [name, node, tensor] triple, not a list of them.
    const list = Array.isArray(value) && typeof value[0] === "string" ? [value] : value;
    if (!Array.isArray(list) || list.length === 0)
      throw new Error(`${argument}: ${what} must list [layer name, node, tensor] entries, got ${describeValue(value)}`);
    return list.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== "string")
        throw new Error(`${argument}: ${what} entry ${describeValue(ref)} is not [layer name, node, tensor]`);
      return [ref[0], Number(ref[1] ?? 0), Number(ref[2] ?? 0)];
    });
  };
  const parsed: FunctionalConfig = {
    name: typeof config.name === "string" ? config.name : "functional",
    layers,
    inputLayers: refs(config.input_layers ?? config.inputLayers, "input_layers"),
    outputLayers: refs(config.output_layers ?? config.outputLayers, "output_layers"),
  };
  if (kerasMajor !== null && kerasMajor >= 3) countOwnNodes(parsed);
  return parsed;
}

/**
 * Keras 3 gives only a nested Functional model a call of its own (node 0); Keras 2, tfjs and densa also give one
 * to a nested Sequential model with a declared input. Keras 3's node indices of such a Sequential model move up
 * by one, into the form the graph rebuild reads (see ModelLayer.savedNodeOffset).
 */
function countOwnNodes(config: FunctionalConfig): void {
  const shifted = new Set(
    config.layers
      .filter((entry) => entry.className === "Sequential" && sequentialHasInput(entry.config))
      .map((entry) => entry.name),
  );
  if (shifted.size === 0) return;
  const shift = (ref: [string, number, number, ...unknown[]]) => {
    if (shifted.has(ref[0])) ref[1] += 1;
  };
  for (const entry of config.layers) for (const node of entry.inboundNodes) node.forEach(shift);
  config.inputLayers.forEach(shift);
  config.outputLayers.forEach(shift);
}

function sequentialHasInput(config: Record<string, unknown>): boolean {
  const first = Array.isArray(config.layers) ? (config.layers[0] as LayerEntry | undefined) : undefined;
  return first !== undefined && (first.className === "InputLayer" || Array.isArray(first.config?.batchInputShape));
}

/** One call's inputs as [name, node, tensor, kwargs] refs, from either Keras form. */
function parseNode(node: unknown, argument: string): InboundRef[] {
  if (Array.isArray(node)) {
    return node.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== "string")
        throw new Error(`${argument}: expected [layer name, node, tensor, kwargs], got ${describeValue(ref)}`);
      return [ref[0], Number(ref[1] ?? 0), Number(ref[2] ?? 0), isPlainObject(ref[3]) ? ref[3] : {}];
    });
  }
  if (isPlainObject(node) && Array.isArray(node.args)) {
    const tensors = node.args.flatMap((arg) => (Array.isArray(arg) ? arg : [arg]));
    return tensors.map((tensor) => {
      const history =
        isPlainObject(tensor) && isPlainObject(tensor.config)
          ? (tensor.config.keras_history ?? tensor.config.kerasHistory)
          : undefined;
      if (!Array.isArray(history) || typeof history[0] !== "string")
        throw new Error(`${argument}: expected a Keras tensor with keras_history, got ${describeValue(tensor)}`);
      return [history[0], Number(history[1] ?? 0), Number(history[2] ?? 0), {}];
    });
  }
  throw new Error(`${argument}: expected a list of inbound tensors or { args, kwargs }, got ${describeValue(node)}`);
}
