import type { Layer } from "../../layers/layer.js";
import type { Variable } from "../../layers/variable.js";
import type { ModelBase } from "../../models/model-base.js";
import { Hdf5Writer } from "../hdf5/hdf5-writer.js";
import type { CompileConfig } from "../training-config.js";
import { isNestedModel } from "./keras-layer-entry.js";
import { kerasSlotLayout, kerasSlotOrder } from "./keras-optimizer-state.js";
import { KERAS_VARIABLES, type kerasVariablesOf } from "./keras-variables.js";
import { kerasWeightPlaces, type WeightPlace } from "./keras-weight-places.js";

type Json = Record<string, unknown>;

/**
 * model.weights.h5 as Keras 3 (3.6+) writes it: `layers/<snake_case class>[_k]/vars/<i>` per layer (an empty
 * `vars` for layers without variables), each `vars` group with a `name` attribute (the layer's name); `vars` at
 * the root named after the model; and, for a compiled model, `optimizer/vars`: 0 iterations (int64), 1 the
 * learning rate (when it is a number), then the slots in Keras's order. A nested model's layers sit under its
 * own group (`layers/sequential/layers/dense`), as kerasWeightPlaces lays them out from the config.
 */
export function kerasWeightsBytes(model: ModelBase, kerasConfig: Json, compiled: CompileConfig | null): Uint8Array {
  const writer = new Hdf5Writer();
  const places = kerasWeightPlaces(kerasConfig, "toKeras");
  const byName = new Map(allLayers(model.layers).map((layer) => [layer.name, layer]));
  writer.group("layers");
  for (const place of places) {
    const vars = `${place.path}/vars`;
    writer.group(vars);
    writer.attribute(vars, "name", { dtype: "string", shape: [], values: [place.layerName] });
    const layer = byName.get(place.layerName);
    if (!layer) continue;
    variablesOf(
      layer,
      place.variables.length > 0 || place.className in KERAS_VARIABLES ? place.variables : null,
    ).forEach((variable, i) => {
      writer.dataset(`${vars}/${i}`, variable);
    });
  }
  writer.attribute("vars", "name", { dtype: "string", shape: [], values: [model.name] });
  if (compiled) writeOptimizer(writer, trainableInKerasOrder(places, byName), compiled);
  return writer.toBytes();
}

/** Every layer, those of nested models too (by their own names, which are unique within the whole model). */
function allLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((layer) => (isNestedModel(layer) ? allLayers(layer.layers) : [layer]));
}

/** The trainable variables in the order Keras keeps the optimizer's slots: its layer order (the places'). */
function trainableInKerasOrder(places: readonly WeightPlace[], byName: ReadonlyMap<string, Layer>) {
  return places.flatMap((place) => byName.get(place.layerName)?.trainableWeights ?? []);
}

/** A layer's values in Keras's order (Keras's table, else densa's own order for a class not in it). */
function variablesOf(layer: Layer, kerasVariables: ReturnType<typeof kerasVariablesOf> | null) {
  const own = new Map(
    layer.weights.map((variable) => [variable.name.slice(variable.name.lastIndexOf("/") + 1), variable]),
  );
  const list =
    kerasVariables ??
    layer.weights.map((variable) => ({ name: variable.name.slice(variable.name.lastIndexOf("/") + 1), keep: true }));
  return list.map((entry) => {
    if (!entry.keep) return { dtype: "int64" as const, shape: [] as number[], values: [0] };
    const variable = own.get(entry.name);
    if (!variable)
      throw new Error(
        `toKeras: layer ${JSON.stringify(layer.name)} (${layer.className}) has no variable ${entry.name}, which Keras's ${layer.className} keeps`,
      );
    return { dtype: "float32" as const, shape: [...variable.shape], values: variable.read().data as Float32Array };
  });
}

function writeOptimizer(writer: Hdf5Writer, trainable: readonly Variable[], compiled: CompileConfig): void {
  const optimizer = compiled.optimizer;
  const config = optimizer.getConfig() as Json;
  writer.attribute("optimizer/vars", "name", { dtype: "string", shape: [], values: [String(config.name)] });
  writer.dataset("optimizer/vars/0", { dtype: "int64", shape: [], values: [optimizer.iterations] });
  let next = 1;
  if (typeof config.learningRate === "number")
    writer.dataset(`optimizer/vars/${next++}`, { dtype: "float32", shape: [], values: [config.learningRate] });
  const state = new Map(optimizer.getWeights(trainable).map((weight) => [weight.name, weight]));
  const layout = kerasSlotLayout(optimizer.className, {
    amsgrad: config.amsgrad,
    momentum: config.momentum,
    centered: config.centered,
  });
  // NOTE: no slots yet (never stepped), or an optimizer whose Keras layout densa does not know: counters only.
  if (!layout || state.size <= 1) return;
  for (const name of kerasSlotOrder(
    layout,
    trainable.map((variable) => variable.name),
  )) {
    const weight = state.get(name);
    if (!weight) throw new Error(`toKeras: the ${optimizer.className} optimizer has no state ${name}`);
    writer.dataset(`optimizer/vars/${next++}`, { dtype: "float32", shape: [...weight.shape], values: weight.values });
  }
}
