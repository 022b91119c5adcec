/**
 * The TensorFlow.js Layers format, as densa reads and writes it (the same shapes as tfjs's io types, so that
 * tfjs's IOHandlers — tf.io.fromMemory, withSaveHandler, browserIndexedDB … — plug into densa as they are).
 *
 *   model.json = { modelTopology, weightsManifest: [{ paths: [shard, …], weights: [WeightSpec, …] }, …],
 *                  format: "layers-model", generatedBy, convertedBy, trainingConfig?, userDefinedMetadata? }
 *   shards     = the weights' bytes, in manifest order, cut into files (concatenate them to read)
 */

/** The package version written into `generatedBy` and `keras_version`; a test keeps it equal to package.json's. */
export const DENSA_VERSION = "0.1.0";

export const LAYERS_MODEL_FORMAT = "layers-model";

export interface WeightSpec {
  name: string;
  shape: number[];
  /** "float32" or "int32" (densa reads these; tfjs's other dtypes are refused by name). */
  dtype: string;
  /** "optimizer" for an optimizer's state (tfjs's includeOptimizer); absent for the model's weights. */
  group?: string;
  /** tensorflowjs_converter's quantization: value = q · scale + min (uint8 / uint16), or IEEE half floats. */
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/**
 * tfjs's ModelArtifacts: what `model.save()` returns and what an IOHandler's load() gives. (modelTopology is
 * optional in the type only so that tfjs's type fits; loading refuses artifacts without one.)
 */
export interface ModelArtifacts {
  modelTopology?: object;
  weightSpecs?: WeightSpec[];
  /** One buffer, or several (tfjs 4's WeightData) that are read one after the other. */
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** tfjs writes its training config here; densa and Keras write it as modelTopology.training_config. */
  trainingConfig?: object;
  userDefinedMetadata?: object;
}

/** The parsed model.json file. */
export interface ModelJson {
  modelTopology: object;
  weightsManifest?: WeightsManifestGroup[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: object;
  userDefinedMetadata?: object;
}

/** tfjs's SaveResult, as `model.save("file://…")` answers. */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: "JSON";
    modelTopologyBytes: number;
    weightSpecsBytes: number;
    weightDataBytes: number;
  };
}

/**
 * Anything with a save(artifacts) method: a KV store, IndexedDB, an upload, tfjs's IOHandlers.
 * (Optional in the type only so that tfjs's IOHandler type fits; save() refuses an object without it.)
 */
export interface SaveHandler<Result = unknown> {
  save?(artifacts: ModelArtifacts): Result | Promise<Result>;
}

/** Anything with a load() method that gives artifacts (tfjs's tf.io.fromMemory, browserIndexedDB, …). */
export interface LoadHandler {
  load?(): ModelArtifacts | Promise<ModelArtifacts>;
}

export type BinaryLike = ArrayBuffer | ArrayBufferView;

/** model.json (parsed or as text) and its weight files, in manifest order, e.g. from a KV store or a bundle. */
export interface ModelFiles {
  modelJson: ModelJson | string;
  weights: BinaryLike | readonly BinaryLike[];
}

/** What loadModel accepts; bytes (or a Blob / File) are a Keras file: a `.keras` zip or a legacy `.h5`. */
export type ModelSource =
  | string
  | URL
  | ModelArtifacts
  | ModelFiles
  | LoadHandler
  | ArrayBuffer
  | ArrayBufferView
  | Blob;

export interface LoadOptions {
  /** The fetch to use for http(s) URLs (default: globalThis.fetch). */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Passed to every fetch (headers, credentials …). */
  requestInit?: RequestInit;
}

export interface SaveOptions {
  /** Also save the optimizer's state (iterations, moments …) so that fit resumes exactly; as tfjs's option. */
  includeOptimizer?: boolean;
}
