import type { Hdf5Dataset, Hdf5File } from "../hdf5/hdf5-file.js";
import type { WeightToEncode } from "../weights.js";
import { findGroup, numberedDatasets } from "./hdf5-paths.js";
import { readNumeric } from "./keras-weights-reader.js";

type Json = Record<string, unknown>;

/**
 * How Keras lays out an optimizer's state in `optimizer/vars`: 0 = iterations (int64), 1 = the learning rate
 * (Keras 3, when it is a number rather than a schedule), then the slots. `interleaved` slots come variable by
 * variable (Adam: m₀ v₀ m₁ v₁ …, its build loops over the variables), `grouped` ones slot by slot after them
 * (RMSprop: every velocity, then every momentum). Names are densa's slot names, in that order.
 * NOTE: Nadam is missing on purpose: Keras keeps its u_product outside the tracked variables in some versions.
 */
export function kerasSlotLayout(
  className: string,
  config: Json,
): { interleaved: string[]; grouped: string[] } | undefined {
  switch (className) {
    case "Adam":
    case "AdamW":
      return { interleaved: ["m", "v"], grouped: config.amsgrad ? ["vhat"] : [] };
    case "Adamax":
      return { interleaved: ["m", "v"], grouped: [] };
    case "SGD":
      return { interleaved: [], grouped: Number(config.momentum ?? 0) > 0 ? ["momentum"] : [] };
    case "RMSprop":
      return {
        interleaved: [],
        grouped: ["rms", ...(Number(config.momentum ?? 0) > 0 ? ["momentum"] : []), ...(config.centered ? ["mg"] : [])],
      };
    case "Adagrad":
      return { interleaved: [], grouped: ["accumulator"] };
    case "Adadelta":
      return { interleaved: [], grouped: ["accum_grad", "accum_var"] };
  }
  return undefined;
}

/** densa's slot names in Keras's order, for the trainable variables (densa's names) in model order. */
export function kerasSlotOrder(
  layout: { interleaved: string[]; grouped: string[] },
  trainable: readonly string[],
): string[] {
  return [
    ...trainable.flatMap((variable) => layout.interleaved.map((slot) => `${variable}/${slot}`)),
    ...layout.grouped.flatMap((slot) => trainable.map((variable) => `${variable}/${slot}`)),
  ];
}

/**
 * The optimizer's state from `optimizer/vars`, as densa's optimizer.setWeights takes it ("iter", then
 * `<variable>/<slot>`); [] when the file has none or only the iteration count of an optimizer never stepped.
 */
export function readKerasOptimizerState(
  file: Hdf5File,
  optimizer: { className: string; config: Json },
  trainable: readonly { name: string; shape: readonly number[] }[],
  argument: string,
): WeightToEncode[] {
  const group = findGroup(file, "optimizer/vars");
  if (!group) return [];
  return optimizerStateFromList(numberedDatasets(group, argument), optimizer, trainable, argument);
}

/**
 * The state from Keras 3's list of optimizer variables (iterations, the learning rate when a number, then the
 * slots), as `optimizer/vars` of a .keras file or `optimizer_weights` of Keras 3's legacy .h5 hold it.
 */
export function optimizerStateFromList(
  datasets: readonly Hdf5Dataset[],
  optimizer: { className: string; config: Json },
  trainable: readonly { name: string; shape: readonly number[] }[],
  argument: string,
): WeightToEncode[] {
  if (datasets.length === 0) return [];
  const label = `${argument}: optimizer state (${optimizer.className})`;
  const layout = kerasSlotLayout(optimizer.className, optimizer.config);
  if (!layout)
    throw new Error(`${label}: densa does not know how Keras lays out the ${optimizer.className} optimizer's state`);
  const order = kerasSlotOrder(
    layout,
    trainable.map((variable) => variable.name),
  );
  const iterations = readNumeric(datasets[0], `${label}: iterations`);
  if (iterations.values.length !== 1 || !iterations.dtype.startsWith("int"))
    throw new Error(
      `${label}: ${datasets[0].path} must be the iteration count (one integer), got ${iterations.dtype} [${iterations.shape}]`,
    );
  const rest = datasets.length - 1;
  // An optimizer that never stepped saves only its counters; one that did saves every slot.
  const skip = rest === order.length + 1 ? 1 : rest === order.length ? 0 : rest <= 1 ? rest : -1;
  if (skip < 0)
    throw new Error(
      `${label}: the file holds ${datasets.length} optimizer variables; for ${trainable.length} trainable weights Keras's ${optimizer.className} keeps ${order.length + 1} or ${order.length + 2}`,
    );
  const state: WeightToEncode[] = [{ name: "iter", shape: [], values: Int32Array.of(Number(iterations.values[0])) }];
  if (rest === skip) return state;
  const shapes = new Map(trainable.map((variable) => [variable.name, variable.shape]));
  order.forEach((name, i) => {
    const dataset = datasets[1 + skip + i];
    const value = readNumeric(dataset, `${label}: ${dataset.path}`);
    const shape = shapes.get(name.slice(0, name.lastIndexOf("/")))!;
    if (!value.dtype.startsWith("float") || value.shape.join() !== shape.join()) {
      throw new Error(
        `${label}: ${dataset.path} is ${value.dtype} [${value.shape}], but ${name} needs float32 [${shape}]`,
      );
    }
    state.push({ name, shape: value.shape, values: Float32Array.from(value.values as Float32Array) });
  });
  return state;
}
