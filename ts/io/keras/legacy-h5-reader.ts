import { type Hdf5File, Hdf5Group } from "../hdf5/hdf5-file.js";
import type { WeightToEncode } from "../weights.js";
import { readNumeric } from "./keras-weights-reader.js";

/**
 * Keras 2's (and Keras 3's legacy) `.h5`: the model as JSON in the root attribute `model_config`, the training
 * config in `training_config`, and the weights under `model_weights/<layer>/` (root for save_weights files),
 * found through each layer group's `weight_names` attribute in order: `dense_1/kernel:0` (Keras 2), `dense/kernel`
 * (Keras 3), `sequential_2/dense_6/kernel` (a Keras 3 Sequential). Names are bytes in Keras ≤ 2.2 files and
 * strings later; this reader gives strings for both.
 */
export function readLegacyStrings(group: Hdf5Group, attribute: string): string[] | undefined {
  const value = group.attributes.get(attribute);
  if (!value) return undefined;
  // NOTE: h5py writes an empty list as a float64 array of shape [0].
  if (value.values.length === 0) return [];
  if (value.dtype !== "string")
    throw new Error(`attribute ${attribute} of ${group.path} is ${value.dtype}, not strings`);
  return value.values as string[];
}

export function readLegacyJson(file: Hdf5File, attribute: string, argument: string): unknown {
  const text = readLegacyStrings(file.root, attribute)?.[0];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${argument}: the .h5 attribute ${attribute} is not valid JSON (${(error as Error).message})`);
  }
}

/** Every weight listed by `layer_names` / `weight_names` (but those `dropped` says), named as written (minus ":0"), in file order. */
export function readLegacyWeights(
  file: Hdf5File,
  argument: string,
  dropped: (layerName: string, weightName: string) => boolean = () => false,
): { layerName: string; weight: WeightToEncode }[] {
  const modelWeights = file.get("model_weights");
  const root = modelWeights instanceof Hdf5Group ? modelWeights : file.root;
  const layerNames = readLegacyStrings(root, "layer_names");
  if (!layerNames)
    throw new Error(
      `${argument}: the .h5 file has no layer_names attribute on ${root.path} (not a Keras model or weights file)`,
    );
  const weights: { layerName: string; weight: WeightToEncode }[] = [];
  for (const layerName of layerNames) {
    const group = root.get(layerName);
    if (!(group instanceof Hdf5Group))
      throw new Error(`${argument}: layer_names lists ${JSON.stringify(layerName)} but ${root.path} has no such group`);
    for (const weightName of readLegacyStrings(group, "weight_names") ?? []) {
      if (dropped(layerName, weightName.replace(/:\d+$/, ""))) continue;
      const dataset = group.get(weightName) ?? findNested(group, weightName);
      if (!dataset || dataset instanceof Hdf5Group)
        throw new Error(
          `${argument}: weight ${JSON.stringify(weightName)} of layer ${JSON.stringify(layerName)} is missing from the file`,
        );
      const value = readNumeric(dataset, `${argument}: weight ${weightName}`);
      if (!value.dtype.startsWith("float"))
        throw new Error(`${argument}: weight ${weightName} is ${value.dtype}; a weight must be a float`);
      weights.push({
        layerName,
        weight: {
          name: weightName.replace(/:\d+$/, ""),
          shape: value.shape,
          values: Float32Array.from(value.values as Float32Array),
        },
      });
    }
  }
  return weights;
}

export function findNested(group: Hdf5Group, path: string) {
  let node: ReturnType<Hdf5Group["get"]> = group;
  for (const part of path.split("/")) {
    if (!(node instanceof Hdf5Group)) return undefined;
    node = node.get(part);
  }
  return node;
}
