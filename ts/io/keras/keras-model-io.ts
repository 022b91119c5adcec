import type { ModelBase } from "../../models/model-base.js";
import type { OptimizerWeight } from "../../optimizers/optimizer.js";
import { describeValue, formatShape } from "../../utils/describe.js";
import { Hdf5File } from "../hdf5/hdf5-file.js";
import { looksLikeHdf5 } from "../hdf5/superblock.js";
import { fileUrlToPath, readFileBytes, writeFiles } from "../node-fs.js";
import type { CompileConfig } from "../training-config.js";
import { DENSA_VERSION, type LoadOptions } from "../types.js";
import { looksLikeZip } from "../zip/zip-reader.js";
import { writeZip } from "../zip/zip-writer.js";
import { CONFIG_FILE, METADATA_FILE, readKerasArchive, WEIGHTS_FILE } from "./keras-archive.js";
import { droppedVariables } from "./keras-artifacts.js";
import { kerasModelConfig } from "./keras-config-writer.js";
import { readKerasOptimizerState } from "./keras-optimizer-state.js";
import { kerasWeightPlaces } from "./keras-weight-places.js";
import { readKerasLayerWeights } from "./keras-weights-reader.js";
import { kerasWeightsBytes } from "./keras-weights-writer.js";
import { readLegacyStrings, readLegacyWeights } from "./legacy-h5-reader.js";

/** The Keras format version densa's files follow (the newest whose layout the fixtures show). */
export const KERAS_FORMAT_VERSION = "3.14.0";

/** `YYYY-MM-DD@HH:MM:SS`, Keras's date_saved. */
function dateSaved(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}@${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** The bytes of a `.keras` file for the model: metadata.json, config.json, model.weights.h5, stored. */
export function kerasFileBytes(model: ModelBase, compiled: CompileConfig | null): Uint8Array {
  const config = kerasModelConfig(model, compiled);
  const weights = kerasWeightsBytes(model, config, compiled);
  const metadata = {
    keras_version: KERAS_FORMAT_VERSION,
    date_saved: dateSaved(new Date()),
    densa_version: DENSA_VERSION,
  };
  const encoder = new TextEncoder();
  return writeZip([
    { name: METADATA_FILE, data: encoder.encode(JSON.stringify(metadata)) },
    { name: CONFIG_FILE, data: encoder.encode(JSON.stringify(config)) },
    { name: WEIGHTS_FILE, data: weights },
  ]);
}

/** Keras 3's save_weights: model.weights.h5 alone (with the optimizer's state when compiled, as Keras). */
export function kerasWeightsFileBytes(model: ModelBase, compiled: CompileConfig | null): Uint8Array {
  return kerasWeightsBytes(model, kerasModelConfig(model, compiled), compiled);
}

/** Writes bytes to a file:// URL (Node, Deno, Bun), creating its folder. */
export async function writeFileUrl(url: string, bytes: Uint8Array, fn: string): Promise<void> {
  const path = fileUrlToPath(url);
  const slash = path.lastIndexOf("/");
  await writeFiles(slash >= 0 ? path.slice(0, slash) || "/" : ".", [{ name: path.slice(slash + 1), data: bytes }], fn);
}

/** Writes bytes to a file:// URL (Node, Deno, Bun) or to indexeddb://, localstorage://, downloads:// (browsers). */
export async function writeBytesTo(target: string, bytes: Uint8Array, fn: string): Promise<void> {
  if (/^file:\/\//i.test(target)) return writeFileUrl(target, bytes, fn);
  const browser = await import("../browser/browser-storage.js");
  if (!browser.BROWSER_SCHEME.test(target))
    throw new Error(
      `${fn}: expected a file://, indexeddb://, localstorage:// or downloads:// URL, got ${describeValue(target)}`,
    );
  return browser.saveToBrowser(target, { format: "keras", bytes }, fn);
}

/** The bytes of a source: a file://, http(s), indexeddb:// or localstorage:// URL, bytes, or a Blob / File. */
export async function sourceBytes(source: unknown, options: LoadOptions, argument: string): Promise<Uint8Array> {
  if (source instanceof URL) source = source.href;
  if (typeof source === "string" && /^(indexeddb|localstorage|downloads):\/\//i.test(source)) {
    const stored = await (await import("../browser/browser-storage.js")).loadFromBrowser(source, argument);
    if (stored.format !== "keras")
      throw new Error(`${argument}: ${source} holds TF.js artifacts, not Keras weights; use loadModel for it`);
    return stored.bytes;
  }
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  if (BlobClass && source instanceof BlobClass) return new Uint8Array(await source.arrayBuffer());
  if (typeof source === "string" && /^file:\/\//i.test(source)) return readFileBytes(fileUrlToPath(source), argument);
  if (typeof source === "string" && /^https?:\/\//i.test(source)) {
    const fetchFn = options.fetch ?? globalThis.fetch;
    const response = await fetchFn(source, options.requestInit).catch((cause: unknown) => {
      throw new Error(`${argument}: could not fetch ${source} (${(cause as Error)?.message ?? String(cause)})`, {
        cause,
      });
    });
    if (!response.ok) throw new Error(`${argument}: fetching ${source} failed with HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new Error(
    `${argument}: expected a file:// or http(s) URL, bytes (Uint8Array / ArrayBuffer) or a Blob, got ${describeValue(source)}`,
  );
}

/**
 * Keras 3's load_weights: values from a `.weights.h5` (Keras 3 layout, or Keras 2's `layer_names` layout) or a
 * `.keras` file, matched to the model's layers as Keras matches them; with the optimizer's state when the file
 * has it and the model is compiled. Everything is read and checked before the first value is written.
 */
export function loadKerasWeights(
  model: ModelBase,
  compiled: CompileConfig | null,
  bytes: Uint8Array,
  argument: string,
): void {
  let file: Hdf5File | null;
  if (looksLikeZip(bytes)) file = readKerasArchive(bytes, argument).weights;
  else if (looksLikeHdf5(bytes)) file = new Hdf5File(bytes);
  else
    throw new Error(
      `${argument}: expected a .weights.h5 (HDF5) or .keras (zip) file, got bytes starting ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ") || "(none)"}`,
    );
  if (!file) throw new Error(`${argument}: the .keras archive has no model.weights.h5`);
  const config = kerasModelConfig(model, null);
  const places = kerasWeightPlaces(config, argument);
  const legacy = readLegacyStrings(file.root, "layer_names") !== undefined || file.get("model_weights") !== undefined;
  const dropped = droppedVariables(places);
  const values = legacy
    ? readLegacyWeights(file, argument, (layer, name) =>
        dropped.has(`${layer}/${name.slice(name.lastIndexOf("/") + 1)}`),
      ).map(({ weight }) => weight)
    : readKerasLayerWeights(file, places, argument, false);
  const variables = model.layers.flatMap((layer) => layer.weights);
  const byName = new Map(values.map((value) => [value.name, value]));
  const chosen = variables.map((variable, i) => {
    const value = byName.get(variable.name) ?? (legacy && values.length === variables.length ? values[i] : undefined);
    if (!value)
      throw new Error(
        `${argument}: the file has no value for ${variable.name} (it holds ${values.map((v) => v.name).join(", ") || "none"})`,
      );
    if (value.shape.join() !== variable.shape.join())
      throw new Error(
        `${argument}: ${value.name} has shape ${formatShape(value.shape)} but ${variable.name} has ${formatShape(variable.shape)}`,
      );
    return value.values as Float32Array;
  });
  if (values.length !== variables.length)
    throw new Error(`${argument}: the file holds ${values.length} weights but the model has ${variables.length}`);
  const trainable = model.layers.flatMap((layer) => layer.trainableWeights);
  const optimizer = compiled?.optimizer;
  const state =
    optimizer && !legacy
      ? readKerasOptimizerState(
          file,
          { className: optimizer.className, config: optimizer.getConfig() as Record<string, unknown> },
          trainable,
          argument,
        )
      : [];
  if (optimizer && state.length > 0) {
    // NOTE: setWeights checks every name and size before it writes, so a bad state leaves the model untouched.
    optimizer.setWeights(trainable, state as OptimizerWeight[]);
  }
  variables.forEach((variable, i) => variable.write(chosen[i]));
}
