import { Dense } from "./dense.js";
import { InputLayer } from "./input-layer.js";
import type { Layer } from "./layer.js";

type LayerClass = new (config: Record<string, unknown>) => Layer;
type LayerFactory = (config: Record<string, unknown>) => Layer;

/**
 * Every layer class densa runs, by the className saved in configs, and how to load its module; loading refuses
 * any other class by name. NOTE: through import(), so that an app bundles only the classes it names itself:
 * densa/infer's loadModel fetches the classes a file uses (a Dense-only model never loads BatchNormalization),
 * a family of Keras's layers at a time (merging, normalization, activation, regularization, reshaping: one chunk
 * each, fewer chunk names for every app to carry). Dense and InputLayer, in nearly every model, are always there.
 */
export const LAYER_CLASSES: Record<string, () => Promise<object>> = {
  Dense: async () => ({ Dense }),
  Activation: () => import("./activation-layers.js"),
  Dropout: () => import("./regularization-layers.js"),
  Flatten: () => import("./reshaping-layers.js"),
  InputLayer: async () => ({ InputLayer }),
  Normalization: () => import("./normalization-layers.js"),
  Add: () => import("./merging-layers.js"),
  Subtract: () => import("./merging-layers.js"),
  Multiply: () => import("./merging-layers.js"),
  Average: () => import("./merging-layers.js"),
  Maximum: () => import("./merging-layers.js"),
  Minimum: () => import("./merging-layers.js"),
  Concatenate: () => import("./merging-layers.js"),
  Dot: () => import("./merging-layers.js"),
  BatchNormalization: () => import("./normalization-layers.js"),
  LayerNormalization: () => import("./normalization-layers.js"),
  Embedding: () => import("./reshaping-layers.js"),
  Reshape: () => import("./reshaping-layers.js"),
  Permute: () => import("./reshaping-layers.js"),
  RepeatVector: () => import("./reshaping-layers.js"),
  Identity: () => import("./reshaping-layers.js"),
  Rescaling: () => import("./normalization-layers.js"),
  UnitNormalization: () => import("./normalization-layers.js"),
  ActivityRegularization: () => import("./regularization-layers.js"),
  GaussianNoise: () => import("./regularization-layers.js"),
  GaussianDropout: () => import("./regularization-layers.js"),
  AlphaDropout: () => import("./regularization-layers.js"),
  ReLU: () => import("./activation-layers.js"),
  LeakyReLU: () => import("./activation-layers.js"),
  PReLU: () => import("./activation-layers.js"),
  ELU: () => import("./activation-layers.js"),
  Softmax: () => import("./activation-layers.js"),
};

/** The classes layerFromConfig can build now, by className. */
const loaded = new Map<string, LayerFactory>([
  ["Dense", (config) => new Dense(config)],
  ["InputLayer", (config) => new InputLayer(config)],
]);

function register(className: string, layerClass: unknown): void {
  if (typeof layerClass !== "function") throw new Error(`densa: the module of layer class ${className} does not export it`);
  loaded.set(className, (config) => new (layerClass as LayerClass)(config));
}

/**
 * Makes classes the caller already holds buildable by the synchronous fromConfig: the full "densa" entry hands
 * over its whole `layers` namespace, which a bundle keeps whole anyway.
 */
export function registerLayerClasses(classes: Record<string, unknown>): void {
  for (const className of Object.keys(LAYER_CLASSES)) if (className in classes) register(className, classes[className]);
}

/** Loads the modules of these classes (names densa does not know are left to layerFromConfig to refuse). */
export async function loadLayerClasses(classNames: Iterable<string>): Promise<void> {
  const missing = [...new Set(classNames)].filter((className) => Object.hasOwn(LAYER_CLASSES, className) && !loaded.has(className));
  const modules = await Promise.all(missing.map((className) => LAYER_CLASSES[className]()));
  missing.forEach((className, i) => register(className, (modules[i] as Record<string, unknown>)[className]));
}

/**
 * Every class name a model config mentions (`class_name` as Keras writes it, `className` as tfjs does), nested
 * models' layers included; initializers and the like come along and are simply not layer classes.
 */
export function classNamesIn(config: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<object>();
  // NOTE: a stack, not recursion: a file's config may nest deeper than the call stack goes.
  const pending: unknown[] = [config];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const [key, item] of Object.entries(value)) {
      if ((key === "class_name" || key === "className") && typeof item === "string") names.add(item);
      else pending.push(item);
    }
  }
  return names;
}

export function layerFromConfig(entry: { className: string; config: Record<string, unknown> }, argument: string): Layer {
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown class, not Object's.
  const className = entry?.className;
  if (typeof className !== "string" || !Object.hasOwn(LAYER_CLASSES, className)) {
    throw new Error(
      `${argument}: densa cannot run layer class ${JSON.stringify(entry?.className)}; supported classes are ${Object.keys(LAYER_CLASSES).join(", ")}`,
    );
  }
  const factory = loaded.get(className);
  if (!factory) {
    throw new Error(`${argument}: layer class ${className} is not loaded; load the model with loadModel (which loads the classes it names) or import densa's layers first`);
  }
  return factory(entry.config ?? {});
}
