import type { Layer } from "../layers/layer.js";
import { layerFromConfig } from "../layers/registry.js";
import type { Variable } from "../layers/variable.js";
import type { FunctionalStructure } from "../models/functional-structure.js";
import { functionalSupport } from "../models/functional-support.js";
import type { ModelBase } from "../models/model-base.js";
import { checkSampleSize } from "../models/sample-size.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { ignoringUnknownOptions } from "../utils/options.js";
import { inContext } from "./error-context.js";
import { isPlainObject, type LayerEntry, parseTopology } from "./topology.js";
import { LAYERS_MODEL_FORMAT, type ModelArtifacts } from "./types.js";
import { concatBinary, type DecodedWeight, decodeWeights } from "./weights.js";

export interface BuiltModel<Model> {
  model: Model;
  /** Weights of the "optimizer" group (tfjs's includeOptimizer), for the trainable loader. */
  optimizerWeights: DecodedWeight[];
  /** The training config: tfjs's artifacts.trainingConfig, else Keras's modelTopology.training_config. */
  trainingConfig: unknown;
}

/**
 * A model from artifacts, all or nothing: everything that can be checked without wasm memory (topology, layer
 * classes, weight bytes) is checked first; then the layers are built and filled, and on any error every block
 * they took is freed again before the error goes on.
 */
export function modelFromArtifacts<Model extends ModelBase>(
  artifacts: ModelArtifacts,
  create: (structure: Layer[] | FunctionalStructure, name: string | undefined) => Model,
  argument: string,
): BuiltModel<Model> {
  if (!isPlainObject(artifacts) || !("modelTopology" in artifacts)) {
    throw new Error(
      `${argument}: expected model artifacts { modelTopology, weightSpecs, weightData }, got ${describeValue(artifacts)}`,
    );
  }
  if (typeof artifacts.format === "string" && artifacts.format !== LAYERS_MODEL_FORMAT) {
    throw new Error(
      `${argument}: the file holds a ${JSON.stringify(artifacts.format)}; densa loads the Layers format ("${LAYERS_MODEL_FORMAT}") of Keras and tfjs`,
    );
  }
  const topology = parseTopology(artifacts.modelTopology, argument);
  const weights = readWeights(artifacts, argument);
  const layerOf = (entry: LayerEntry, i: number) =>
    inContext(`${argument}: layer ${i}`, () => layerFromConfig(entry, `${argument}: layer ${i}`));
  /** Writes the file's weights into the built layers and makes the model; frees the layers on any error. */
  const filled = (layers: Layer[], structure: Layer[] | FunctionalStructure): BuiltModel<Model> => {
    try {
      const variables = layers.flatMap((layer) => layer.weights);
      const values = matchWeights(
        variables,
        weights.filter((weight) => weight.group !== "optimizer"),
        argument,
      );
      variables.forEach((variable, i) => variable.write(values[i]));
      return {
        model: create(structure, topology.name),
        optimizerWeights: weights.filter((weight) => weight.group === "optimizer"),
        trainingConfig: artifacts.trainingConfig ?? topology.trainingConfig,
      };
    } catch (error) {
      for (const layer of layers) layer.dispose();
      throw error;
    }
  };
  if (topology.functional) {
    const functional = topology.functional;
    // Everything checkable without memory first: every layer class is known.
    ignoringUnknownOptions(() => functional.layers.map(layerOf)).forEach((layer) => layer.dispose());
    const graph = ignoringUnknownOptions(() =>
      functionalSupport(argument).graphFromConfig(functional, layerOf, argument, false),
    );
    return filled(graph.layers, { inputs: graph.inputs, outputs: graph.outputs });
  }
  const layers = ignoringUnknownOptions(() => topology.layers.map(layerOf));
  const duplicate = layers.find((layer, i) => layers.findIndex((other) => other.name === layer.name) !== i);
  if (duplicate) throw new Error(`${argument}: layer names must be unique, and "${duplicate.name}" appears twice`);
  const built: Layer[] = [];
  try {
    let shape = firstInputShape(layers, topology.buildInputShape, argument);
    checkSampleSize(shape, `${argument}: the model's input shape`);
    for (const [i, layer] of layers.entries()) {
      const context = `${argument}: layer ${i} (${layer.name})`;
      checkSampleSize(
        inContext(context, () => layer.computeOutputShape(shape)),
        `${context}: its output shape`,
      );
      built.push(layer);
      inContext(context, () => layer.build(shape, false));
      shape = layer.outputShape;
    }
  } catch (error) {
    for (const layer of built) layer.dispose();
    throw error;
  }
  return filled(layers, layers);
}

function readWeights(artifacts: ModelArtifacts, argument: string): DecodedWeight[] {
  const { weightSpecs, weightData } = artifacts;
  if (weightSpecs === undefined || weightSpecs === null) {
    if (weightData !== undefined && weightData !== null)
      throw new Error(`${argument}: the artifacts have weightData but no weightSpecs`);
    return [];
  }
  const data =
    weightData === undefined || weightData === null
      ? new ArrayBuffer(0)
      : concatBinary(weightData, `${argument}: weightData`);
  return decodeWeights(weightSpecs, data, argument);
}

function firstInputShape(layers: readonly Layer[], buildInputShape: number[] | null, argument: string): number[] {
  if (layers.length === 0) throw new Error(`${argument}: the model has no layers`);
  // NOTE: a nested model first (a Functional one, or a Sequential one with an input) is built from its own config.
  const declared =
    layers[0].batchInputShape?.slice(1) ?? (layers[0].built ? layers[0].inputShape : null) ?? buildInputShape;
  if (!declared || !declared.every((dim) => Number.isInteger(dim) && (dim as number) > 0)) {
    throw new Error(
      `${argument}: the model's input shape is unknown (no batch_input_shape or batch_shape on its first layer), got ${describeValue(declared)}`,
    );
  }
  return declared as number[];
}

/**
 * Whether a file's weight name can stand for the model's `layer/weight` by position: the same weight name, and
 * either no layer part (Keras 3 writes bare `kernel`) or the same layer with a Keras copy suffix (`dense_1_1`).
 */
function samePlace(fileName: string, variableName: string): boolean {
  const [layer, weight] = [
    variableName.slice(0, variableName.lastIndexOf("/")),
    variableName.slice(variableName.lastIndexOf("/") + 1),
  ];
  const parts = fileName.split("/");
  if (parts[parts.length - 1] !== weight) return false;
  if (parts.length === 1) return true;
  const fileLayer = parts[parts.length - 2];
  return fileLayer === layer || (fileLayer.startsWith(`${layer}_`) && /^\d+$/.test(fileLayer.slice(layer.length + 1)));
}

/**
 * The file's value for each of the model's weights. By name first (Keras 2 and tfjs write `layer/weight`,
 * maybe under a model prefix or with TensorFlow's ":0"); else by position when the names agree on the last part
 * (Keras 3 writes only `kernel`, `bias`, …; Keras 2 may add a copy suffix to the layer). Anything missing, left over or of another shape is an error.
 */
function matchWeights(
  variables: readonly Variable[],
  weights: readonly DecodedWeight[],
  argument: string,
): Float32Array[] {
  const byName = variables.map((variable) => {
    const found = weights.filter(
      (weight) => weight.name === variable.name || weight.name.endsWith(`/${variable.name}`),
    );
    return found.length === 1 ? found[0] : undefined;
  });
  let chosen: (DecodedWeight | undefined)[] = byName;
  const allByName = byName.every(Boolean) && new Set(byName).size === weights.length;
  if (!allByName) {
    const positional =
      weights.length === variables.length && weights.every((weight, i) => samePlace(weight.name, variables[i].name));
    if (!positional) {
      const missing = variables.filter((_, i) => !byName[i]).map((variable) => variable.name);
      const extra = weights.filter((weight) => !byName.includes(weight)).map((weight) => weight.name);
      const problems = [
        missing.length ? `no weight for ${missing.join(", ")}` : "",
        extra.length ? `weights the model does not have: ${extra.join(", ")}` : "",
      ].filter(Boolean);
      throw new Error(
        `${argument}: the weights do not match the topology: ${problems.join("; ")} (the model needs ${variables.map((variable) => variable.name).join(", ") || "none"})`,
      );
    }
    chosen = [...weights];
  }
  return variables.map((variable, i) => {
    const weight = chosen[i]!;
    if (weight.shape.join() !== variable.shape.join()) {
      throw new Error(
        `${argument}: weight ${weight.name} has shape ${formatShape(weight.shape)} but the topology gives ${variable.name} the shape ${formatShape(variable.shape)}`,
      );
    }
    if (weight.dtype !== "float32")
      throw new Error(`${argument}: weight ${weight.name} has dtype ${weight.dtype}; model weights must be float32`);
    return weight.values as Float32Array;
  });
}
