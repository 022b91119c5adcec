import type { Hdf5Value } from "../hdf5/element-decoder.js";
import type { Hdf5Dataset, Hdf5File } from "../hdf5/hdf5-file.js";
import type { WeightToEncode } from "../weights.js";
import { findGroup, numberedDatasets } from "./hdf5-paths.js";
import type { WeightPlace } from "./keras-weight-places.js";

/**
 * Every layer's values from a Keras 3 model.weights.h5, named `<layer>/<variable>` as densa names its variables.
 * Checked per layer: the `vars` group exists when the layer has variables, holds exactly as many as Keras's class
 * keeps, of a float dtype (int64 where Keras keeps a counter), and — where Keras 3.6+ wrote one — the group's
 * `name` attribute is the config's layer name (a mismatch means the class counting went wrong: refuse, rather
 * than load another layer's values). load_weights into another model instance matches by place only, as Keras:
 * `checkNames` false.
 */
export function readKerasLayerWeights(
  file: Hdf5File,
  places: readonly WeightPlace[],
  argument: string,
  checkNames = true,
): WeightToEncode[] {
  const weights: WeightToEncode[] = [];
  for (const place of places) {
    const label = `${argument}: layer ${JSON.stringify(place.layerName)} (${place.className})`;
    const group = findGroup(file, `${place.path}/vars`);
    if (!group) {
      if (place.variables.length === 0) continue;
      throw new Error(
        `${label}: model.weights.h5 has no ${place.path}/vars, where Keras keeps its ${place.variables.map((v) => v.name).join(", ")}`,
      );
    }
    const named = group.attributes.get("name");
    if (checkNames && named && typeof named.values[0] === "string" && named.values[0] !== place.layerName) {
      throw new Error(
        `${label}: ${place.path}/vars belongs to layer ${JSON.stringify(named.values[0])} by its name attribute; the file's layers do not match its config`,
      );
    }
    const datasets = numberedDatasets(group, label);
    if (datasets.length !== place.variables.length) {
      const expected = place.variables.length
        ? `${place.variables.length} (${place.variables.map((v) => v.name).join(", ")})`
        : "none";
      throw new Error(
        `${label}: ${place.path}/vars holds ${datasets.length} variables; Keras's ${place.className} with this config keeps ${expected}`,
      );
    }
    place.variables.forEach((variable, i) => {
      const value = readNumeric(datasets[i], `${label}: ${variable.name} (${datasets[i].path})`);
      if (variable.dtype === "int64") {
        if (!value.dtype.startsWith("int") && !value.dtype.startsWith("uint"))
          throw new Error(`${label}: ${variable.name} is ${value.dtype}; Keras stores it as int64`);
        return;
      }
      if (!value.dtype.startsWith("float"))
        throw new Error(`${label}: ${variable.name} (${datasets[i].path}) is ${value.dtype}; a weight must be a float`);
      if (!variable.keep) return;
      weights.push({
        name: `${place.layerName}/${variable.name}`,
        shape: value.shape,
        values: Float32Array.from(value.values as Float32Array | Float64Array),
      });
    });
  }
  return weights;
}

/** A dataset's numeric value; strings are an error naming the dataset. */
export function readNumeric(dataset: Hdf5Dataset, what: string): Hdf5Value {
  const value = dataset.read();
  if (value.dtype === "string") throw new Error(`${what} holds strings, not numbers`);
  return value;
}
