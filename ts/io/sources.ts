import { loadFunctionalSupport } from "../models/functional-support.js";
import { describeValue } from "../utils/describe.js";
import { isPlainObject } from "./topology.js";
import type { BinaryLike, LoadOptions, ModelArtifacts, ModelJson, ModelSource } from "./types.js";
import { concatBinary } from "./weights.js";

/**
 * Artifacts from any source loadModel accepts:
 *   "https://…/model.json"   fetch; weight files relative to model.json, fetched in parallel
 *   "file://…/model.json"    node:fs (Node, Deno, Bun); a directory means its model.json
 *   { modelJson, weights }   model.json (object or text) and its weight files, in manifest order
 *   artifacts                what model.save() returns, or tfjs's ModelArtifacts
 *   { load() }               a tfjs IOHandler (tf.io.fromMemory, browserIndexedDB, …) or your own
 *   bytes of a Keras file    Uint8Array, ArrayBuffer or Blob / File: a .keras zip or a legacy .h5, by content
 *   "indexeddb://name", "localstorage://name"   what model.save() stored there (TF.js artifacts or .keras bytes)
 * A URL whose content is a Keras file (zip or HDF5 magic) is read as one, whatever its name.
 */
export async function readArtifacts(
  source: ModelSource,
  options: LoadOptions,
  argument: string,
): Promise<ModelArtifacts> {
  if (source instanceof URL) source = source.href;
  const bytes = await bytesOf(source);
  if (bytes) return kerasArtifacts(bytes, argument);
  if (typeof source === "string" && /^(indexeddb|localstorage|downloads):\/\//i.test(source)) {
    const { loadFromBrowser } = await import("./browser/browser-storage.js");
    const stored = await loadFromBrowser(source, argument);
    return stored.format === "keras" ? kerasArtifacts(stored.bytes, argument) : stored.artifacts;
  }
  if (typeof source === "string") {
    if (/^https?:\/\//i.test(source)) return readFromHttp(source, options, argument);
    // NOTE: through import(): only server runtimes read files, and a page's bundle need not carry it.
    if (/^file:\/\//i.test(source)) return (await import("./file-source.js")).readFromFiles(source, argument);
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    if (base && /^https?:/i.test(base)) return readFromHttp(new URL(source, base).href, options, argument);
    throw new Error(`${argument}: expected an http(s):// or file:// URL of a model.json, got ${describeValue(source)}`);
  }
  if (!isPlainObject(source))
    throw new Error(
      `${argument}: expected a URL, model artifacts, { modelJson, weights } or an object with load(), got ${describeValue(source)}`,
    );
  if (typeof (source as { load?: unknown }).load === "function") {
    const artifacts = await (source as { load(): ModelArtifacts | Promise<ModelArtifacts> }).load();
    if (!isPlainObject(artifacts))
      throw new Error(`${argument}: the handler's load() gave ${describeValue(artifacts)}, not model artifacts`);
    return artifacts;
  }
  if ("modelJson" in source) {
    const { modelJson, weights } = source as { modelJson: unknown; weights: BinaryLike | BinaryLike[] };
    const json = typeof modelJson === "string" ? parseJson(modelJson, "modelJson", argument) : modelJson;
    if (weights === undefined)
      throw new Error(`${argument}: { modelJson, weights } needs the weights (an ArrayBuffer or an array of them)`);
    return artifactsFromModelJson(json, concatBinary(weights, `${argument}: weights`), "modelJson", argument);
  }
  return source as ModelArtifacts;
}

/** The bytes of a binary source (typed array, ArrayBuffer, Blob / File), or undefined for any other source. */
async function bytesOf(source: unknown): Promise<Uint8Array | undefined> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  if (BlobClass && source instanceof BlobClass) return new Uint8Array(await source.arrayBuffer());
  return undefined;
}

/** Whether bytes start as a Keras file does: a zip (`.keras`) or HDF5 (`.h5`, sometimes named `.keras`). */
export function isKerasFile(bytes: Uint8Array): boolean {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const hdf5 = bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46;
  return zip || hdf5;
}

/**
 * NOTE: the Keras readers (zip, HDF5, layouts) load on first use, through import(): apps that never open a Keras
 * file do not carry them (bundlers split them into a chunk of their own). They check the model's topology before
 * reading any weight, and that of a Functional model takes the Functional API's code: densa/infer loads it too.
 */
export async function kerasArtifacts(bytes: Uint8Array, argument: string): Promise<ModelArtifacts> {
  const [{ artifactsFromKerasBytes }] = await Promise.all([
    import("./keras/keras-artifacts.js"),
    loadFunctionalSupport(),
  ]);
  return artifactsFromKerasBytes(bytes, argument);
}

/** Artifacts from a parsed model.json and the bytes of all its weight files. */
export function artifactsFromModelJson(
  json: unknown,
  weightData: ArrayBuffer,
  where: string,
  argument: string,
): ModelArtifacts {
  const model = checkModelJson(json, where, argument);
  const { weightsManifest, ...rest } = model;
  return { ...rest, weightSpecs: (weightsManifest ?? []).flatMap((group) => group.weights), weightData };
}

export function checkModelJson(json: unknown, where: string, argument: string): ModelJson {
  if (!isPlainObject(json) || !isPlainObject(json.modelTopology)) {
    throw new Error(
      `${argument}: ${where} must be a model.json object with a modelTopology, got ${describeValue(json)}`,
    );
  }
  const manifest = json.weightsManifest;
  const groupsOk =
    manifest === undefined ||
    (Array.isArray(manifest) &&
      manifest.every(
        (group) =>
          isPlainObject(group) &&
          Array.isArray(group.paths) &&
          group.paths.every((path) => typeof path === "string") &&
          Array.isArray(group.weights),
      ));
  if (!groupsOk)
    throw new Error(
      `${argument}: ${where} has a malformed weightsManifest (expected [{ paths: [string], weights: [spec] }]), got ${describeValue(manifest)}`,
    );
  return json as unknown as ModelJson;
}

export function parseJson(text: string, where: string, argument: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${argument}: ${where} is not valid JSON (${(error as Error).message})`);
  }
}

async function readFromHttp(url: string, options: LoadOptions, argument: string): Promise<ModelArtifacts> {
  const fetchFn = options.fetch ?? (globalThis as { fetch?: LoadOptions["fetch"] }).fetch;
  if (typeof fetchFn !== "function") throw new Error(`${argument}: this runtime has no fetch; pass options.fetch`);
  const get = async (target: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFn(target, options.requestInit);
    } catch (cause) {
      throw new Error(`${argument}: could not fetch ${target} (${(cause as Error)?.message ?? String(cause)})`, {
        cause,
      });
    }
    if (!response.ok)
      throw new Error(
        `${argument}: fetching ${target} failed with HTTP ${response.status} ${response.statusText}`.trimEnd(),
      );
    return response;
  };
  const body = new Uint8Array(await (await get(url)).arrayBuffer());
  if (isKerasFile(body)) return kerasArtifacts(body, argument);
  const json = checkModelJson(parseJson(new TextDecoder().decode(body), url, argument), url, argument);
  const paths = (json.weightsManifest ?? []).flatMap((group) => group.paths);
  const shards = await Promise.all(paths.map(async (path) => (await get(new URL(path, url).href)).arrayBuffer()));
  return artifactsFromModelJson(json, concatBinary(shards, `${argument}: weights`), url, argument);
}
