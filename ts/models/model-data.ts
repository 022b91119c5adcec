import { checkLabelRange, checkSparseLabels } from "../data/checks.js";
import { type FloatData, sampleSize, type ToFloatDataOptions, toFloatData } from "../data/convert.js";
import type { Loss } from "../losses/loss.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { isPlainObject } from "../utils/plain-object.js";
import { shapeSize } from "../utils/shape.js";

/**
 * x and y of a model with several inputs or outputs: an array with one entry per input (output), in the
 * model's order, or an object keyed by input (output) name — Keras's list and dict forms. Each part is checked
 * against its input (output) and the parts are packed side by side, one row per sample, so that the data
 * checks, validationSplit and batching work on one array; the batch buffers split the rows again.
 */

/** x or y of a model: one array or Tensor; for several inputs (outputs) one per input in order, or keyed by name. */
export type ModelData = TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>>;

/** The parts of `value` for these names (one name: the value itself, or the value under that one key). */
export function splitParts(
  value: unknown,
  names: readonly string[],
  fn: string,
  arg: string,
  what: "input" | "output",
): { parts: unknown[]; labels: string[] } {
  const plural = `${what}s`;
  // NOTE: with one input, only an object with exactly its name is keyed; anything else goes to the conversion,
  // whose error says what data may be.
  const keyed =
    isPlainObject(value) &&
    !(value instanceof Tensor) &&
    (names.length > 1 || (Object.keys(value).length === 1 && names[0] in value));
  if (keyed) {
    const keys = Object.keys(value);
    const unknown = keys.filter((key) => !names.includes(key));
    if (unknown.length > 0) {
      throw new Error(
        `${fn}: ${arg} has the key ${JSON.stringify(unknown[0])}, which names no ${what} of the model; its ${plural} are ${names.map((name) => JSON.stringify(name)).join(", ")}`,
      );
    }
    const missing = names.filter((name) => !(name in value));
    if (missing.length > 0) {
      throw new Error(
        `${fn}: ${arg} has no entry for the ${what} ${JSON.stringify(missing[0])}; expected the keys ${names.map((name) => JSON.stringify(name)).join(", ")}`,
      );
    }
    return { parts: names.map((name) => value[name]), labels: names.map((name) => `${arg}.${name}`) };
  }
  // NOTE: Keras takes a one-element list for a one-input model; [Tensor] cannot be nested number data.
  if (names.length === 1 && Array.isArray(value) && value.length === 1 && value[0] instanceof Tensor)
    return { parts: [value[0]], labels: [`${arg}[0]`] };
  if (names.length === 1) return { parts: [value], labels: [arg] };
  if (!Array.isArray(value)) {
    throw new Error(
      `${fn}: the model has ${names.length} ${plural} (${names.join(", ")}), so ${arg} must be an array of ${names.length} arrays or tensors ` +
        `or an object keyed by ${what} name, got ${describeValue(value)}`,
    );
  }
  if (value.length !== names.length) {
    throw new Error(
      `${fn}: the model has ${names.length} ${plural} (${names.join(", ")}) but ${arg} is an array of ${value.length}; ` +
        `pass one array or tensor per ${what}, or an object keyed by ${what} name`,
    );
  }
  return { parts: [...value], labels: names.map((_, i) => `${arg}[${i}]`) };
}

/** Packs per-sample rows of several parts side by side: [count, Σ widths]. */
export function packParts(parts: readonly FloatData[], count: number): FloatData {
  const widths = parts.map((part) => part.data.length / count);
  const total = widths.reduce((sum, width) => sum + width, 0);
  const data = new Float32Array(count * total);
  let offset = 0;
  parts.forEach((part, k) => {
    const width = widths[k];
    for (let i = 0; i < count; i++) data.set(part.data.subarray(i * width, (i + 1) * width), i * total + offset);
    offset += width;
  });
  return { data, shape: [count, total] };
}

/**
 * x for a model of several inputs: each part converted and checked against its input's shape, the sample
 * counts equal, packed. One input: the value converted as it is (its shape is checked later, as before).
 */
export function packInputs(
  value: unknown,
  names: readonly string[],
  shapes: readonly (readonly number[])[],
  fn: string,
  arg: string,
  options: ToFloatDataOptions = {},
): FloatData {
  const { parts, labels } = splitParts(value, names, fn, arg, "input");
  if (names.length === 1) return toFloatData(parts[0], fn, labels[0], options);
  const data = parts.map((part, k) => toFloatData(part, fn, labels[k], options));
  data.forEach((part, k) => {
    const perSample = part.shape.slice(1);
    const expected = shapes[k];
    const fits =
      perSample.length === expected.length
        ? perSample.every((dim, axis) => dim === expected[axis])
        : shapeSize(perSample) === shapeSize(expected) && perSample.length <= 1;
    if (!fits) {
      throw new Error(
        `${fn}: ${labels[k]} has per-sample shape ${formatShape(perSample)} but the model's input "${names[k]}" has shape ${formatShape(expected)}`,
      );
    }
  });
  sameCounts(data, labels, fn);
  return packParts(data, data[0].shape[0]);
}

/** What the targets of one output must fit. */
export interface OutputTarget {
  name: string;
  shape: readonly number[];
  loss: Loss;
}

/**
 * y for a model of several outputs: each part checked against its output and loss (one integer label per
 * position for sparse losses, else one value per output value), packed as floats; a sparse output's columns
 * hold the int32 bits of its labels, which the batch buffers copy bit for bit into its integer targets.
 * Returns the packed data and each output's width in it.
 */
export function packTargets(
  value: unknown,
  outputs: readonly OutputTarget[],
  fn: string,
  arg: string,
): { data: FloatData; widths: number[] } {
  const { parts, labels } = splitParts(
    value,
    outputs.map((output) => output.name),
    fn,
    arg,
    "output",
  );
  const data = parts.map((part, k) => toFloatData(part, fn, labels[k]));
  sameCounts(data, labels, fn);
  const count = data[0].shape[0];
  const packed = data.map((part, k) => {
    const { shape, loss, name } = outputs[k];
    const width = shapeSize(shape);
    const lastAxis = shape[shape.length - 1];
    const positions = width / lastAxis;
    if (loss.sparseLabels) {
      const labelsData = positions === 1 ? checkSparseLabels(part, width, fn, labels[k]) : part;
      if (positions > 1) {
        if (sampleSize(part) !== positions)
          throw new Error(
            `${fn}: ${labels[k]} has ${sampleSize(part)} labels per sample but the output "${name}" has ${positions} positions`,
          );
        checkLabelRange(part, lastAxis, fn, labels[k]);
      }
      const bits = new Float32Array(count * positions);
      new Int32Array(bits.buffer).set(labelsData.data);
      return { data: bits, shape: [count, positions] };
    }
    if (sampleSize(part) !== width) {
      throw new Error(
        `${fn}: ${labels[k]} has ${sampleSize(part)} values per sample but the output "${name}" has ${width} (shape ${formatShape(shape)})`,
      );
    }
    return part;
  });
  return { data: packParts(packed, count), widths: packed.map((part) => part.data.length / count) };
}

function sameCounts(parts: readonly FloatData[], labels: readonly string[], fn: string): void {
  const count = parts[0].shape[0];
  parts.forEach((part, k) => {
    if (part.shape[0] !== count) {
      throw new Error(
        `${fn}: ${labels[k]} has ${part.shape[0]} samples but ${labels[0]} has ${count}; every input and output needs the same number of samples`,
      );
    }
  });
}
