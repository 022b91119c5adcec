import { type Hdf5Dataset, type Hdf5File, Hdf5Group } from "../hdf5/hdf5-file.js";
import type { WeightToEncode } from "../weights.js";
import { kerasSlotLayout, kerasSlotOrder, optimizerStateFromList } from "./keras-optimizer-state.js";
import { readNumeric } from "./keras-weights-reader.js";
import { findNested, readLegacyStrings } from "./legacy-h5-reader.js";

type Json = Record<string, unknown>;
type Trainable = { name: string; shape: readonly number[] };

/** Slot names of every Keras generation (TF 2 OptimizerV2, Keras 2.11+'s optimizers, Keras 3) → densa's. */
const SLOT_NAMES: Record<string, Record<string, string>> = {
  Adam: { m: "m", v: "v", vhat: "vhat", momentum: "m", velocity: "v", velocity_hat: "vhat" },
  AdamW: { m: "m", v: "v", vhat: "vhat", momentum: "m", velocity: "v", velocity_hat: "vhat" },
  Adamax: { m: "m", v: "v", momentum: "m", norm: "v", u: "v" },
  SGD: { momentum: "momentum", m: "momentum" },
  RMSprop: { rms: "rms", velocity: "rms", momentum: "momentum", mg: "mg", average_gradient: "mg" },
  Adagrad: { accumulator: "accumulator" },
  Adadelta: {
    accum_grad: "accum_grad",
    accum_var: "accum_var",
    accumulated_grad: "accum_grad",
    accumulated_delta_var: "accum_var",
  },
};

/**
 * Keras 2's Keras ≤ 2.2 optimizers kept their state as unnamed lists (`training/Adam/Variable_3:0`), one list
 * per slot kind, each over the trainable weights in order: Adam [m…, v…, vhat…], Adamax [m…, u…], SGD
 * [moment…], RMSprop and Adagrad [accumulator…], Adadelta [accumulator…, delta accumulator…]. `null`: a list
 * densa has no slot for (Adam's vhat without amsgrad: Keras 2.2 kept a [1]-shaped placeholder per weight).
 */
function oldKerasLists(className: string, config: Json): (string | null)[] | undefined {
  switch (className) {
    case "Adam":
      return ["m", "v", config.amsgrad ? "vhat" : null];
    case "Adamax":
      return ["m", "v"];
    case "SGD":
      return [Number(config.momentum ?? 0) > 0 ? "momentum" : null];
    case "RMSprop":
      return ["rms"];
    case "Adagrad":
      return ["accumulator"];
    case "Adadelta":
      return ["accum_grad", "accum_var"];
  }
  return undefined;
}

/**
 * The optimizer state of a legacy `.h5` (its `optimizer_weights` group, listed by `weight_names`) under densa's
 * names ("iter", `<variable>/<slot>`), in the three forms Keras wrote it:
 * - Keras 3's legacy saver: `adam/iteration`, `adam/learning_rate`, then the slots in Keras 3's order;
 * - TensorFlow 2's Keras (2.3–2.15): `Adam/iter:0` and slots named after their weight, `Adam/dense/kernel/m:0`
 *   (or `Adam/m/dense/kernel:0` from Keras 2.11's optimizers);
 * - Keras ≤ 2.2: `Adam/iterations:0`, then `training/Adam/Variable_k:0` lists in the optimizer's own order.
 * [] when the file has no optimizer state. A state densa cannot place is an Error naming it.
 */
export function readLegacyOptimizerState(
  file: Hdf5File,
  optimizer: { className: string; config: Json },
  trainable: readonly Trainable[],
  argument: string,
): WeightToEncode[] {
  const group = file.get("optimizer_weights");
  if (!(group instanceof Hdf5Group)) return [];
  const names = readLegacyStrings(group, "weight_names") ?? [];
  if (names.length === 0) return [];
  const label = `${argument}: optimizer_weights (${optimizer.className})`;
  const datasets = names.map((name) => {
    const found = group.get(name) ?? findNested(group, name);
    if (!found || found instanceof Hdf5Group)
      throw new Error(`${label}: weight_names lists ${JSON.stringify(name)}, which the file does not hold`);
    return found;
  });
  const iterations = readNumeric(datasets[0], `${label}: ${names[0]}`);
  if (!/(^|\/)iter(ation|ations)?(:\d+)?$/.test(names[0]) || iterations.values.length !== 1) {
    throw new Error(
      `${label}: the first optimizer weight must be the iteration count, got ${JSON.stringify(names[0])}`,
    );
  }
  if (!/:\d+$/.test(names[0])) return optimizerStateFromList(datasets, optimizer, trainable, argument);
  const iter: WeightToEncode = { name: "iter", shape: [], values: Int32Array.of(Number(iterations.values[0])) };
  const rest = names.slice(1);
  if (rest.length === 0) return [iter];
  const slots = rest.every((name) => /(^|\/)training\/[^/]+\/Variable(_\d+)?:\d+$/.test(name))
    ? slotsByPosition(datasets.slice(1), optimizer, trainable, label)
    : slotsByName(rest, datasets.slice(1), optimizer, trainable, label);
  return [iter, ...slots];
}

function slot(dataset: Hdf5Dataset, name: string, shape: readonly number[], label: string): WeightToEncode {
  const value = readNumeric(dataset, `${label}: ${dataset.path}`);
  if (!value.dtype.startsWith("float") || value.shape.join() !== shape.join()) {
    throw new Error(
      `${label}: ${dataset.path} is ${value.dtype} [${value.shape}], but ${name} needs float32 [${shape}]`,
    );
  }
  return { name, shape: [...shape], values: Float32Array.from(value.values as Float32Array) };
}

function slotsByPosition(
  datasets: readonly Hdf5Dataset[],
  optimizer: { className: string; config: Json },
  trainable: readonly Trainable[],
  label: string,
): WeightToEncode[] {
  const lists = oldKerasLists(optimizer.className, optimizer.config);
  if (!lists)
    throw new Error(`${label}: densa does not know how Keras 2 laid out the ${optimizer.className} optimizer's state`);
  // NOTE: Keras 2.1's Adam kept no vhat list; Keras 2.2's always did.
  const count = trainable.length;
  const fits = datasets.length === lists.length * count || (lists.length === 3 && datasets.length === 2 * count);
  if (!fits)
    throw new Error(
      `${label}: ${datasets.length} optimizer weights besides the iteration count; for ${count} trainable weights Keras 2's ${optimizer.className} keeps ${lists.length * count}`,
    );
  return datasets.flatMap((dataset, i) => {
    const kind = lists[Math.floor(i / count)];
    const variable = trainable[i % count];
    return kind ? [slot(dataset, `${variable.name}/${kind}`, variable.shape, label)] : [];
  });
}

function slotsByName(
  names: readonly string[],
  datasets: readonly Hdf5Dataset[],
  optimizer: { className: string; config: Json },
  trainable: readonly Trainable[],
  label: string,
): WeightToEncode[] {
  const slotNames = SLOT_NAMES[optimizer.className];
  const layout = kerasSlotLayout(optimizer.className, optimizer.config);
  if (!slotNames || !layout)
    throw new Error(`${label}: densa does not know how Keras laid out the ${optimizer.className} optimizer's state`);
  const shapes = new Map(trainable.map((variable) => [variable.name, variable.shape]));
  const found = new Map<string, WeightToEncode>();
  names.forEach((raw, i) => {
    // `<Optimizer>/<variable>/<slot>:0` (OptimizerV2) or `<Optimizer>/<slot>/<variable>:0` (Keras 2.11+).
    const parts = raw.replace(/:\d+$/, "").split("/").slice(1);
    const last =
      parts.length > 1 && shapes.has(parts.slice(0, -1).join("/")) && slotNames[parts[parts.length - 1]]
        ? [parts.slice(0, -1).join("/"), parts[parts.length - 1]]
        : null;
    const first =
      parts.length > 1 && shapes.has(parts.slice(1).join("/")) && slotNames[parts[0]]
        ? [parts.slice(1).join("/"), parts[0]]
        : null;
    const [variable, kerasSlot] = last ?? first ?? [];
    if (!variable)
      throw new Error(
        `${label}: ${JSON.stringify(raw)} is no slot densa's ${optimizer.className} keeps for a trainable weight of the model (${[...shapes.keys()].join(", ")})`,
      );
    const name = `${variable}/${slotNames[kerasSlot!]}`;
    found.set(name, slot(datasets[i], name, shapes.get(variable)!, label));
  });
  const wanted = kerasSlotOrder(
    layout,
    trainable.map((variable) => variable.name),
  );
  const missing = wanted.filter((name) => !found.has(name));
  if (missing.length > 0) throw new Error(`${label}: the file has no ${missing.join(", ")}`);
  return wanted.map((name) => found.get(name)!);
}
