import { Dense } from "./dense.js";
import { InputLayer } from "./input-layer.js";
import type { Layer } from "./layer.js";
import { type LayerFamily, loadLayerFamily } from "./layer-families.js";

type LayerClass = new (config: Record<string, unknown>) => Layer;
type LayerFactory = (config: Record<string, unknown>) => Layer;

/**
 * Every layer class densa runs, by the className saved in configs, with its family (null: always loaded, the
 * layers of nearly every model); loading refuses any other class by name.
 */
export const LAYER_CLASSES: Record<string, LayerFamily | null> = {
  Dense: null,
  Activation: "activation",
  Dropout: "regularization",
  Flatten: "reshaping",
  InputLayer: null,
  Normalization: "normalization",
  Add: "merging",
  Subtract: "merging",
  Multiply: "merging",
  Average: "merging",
  Maximum: "merging",
  Minimum: "merging",
  Concatenate: "merging",
  Dot: "merging",
  BatchNormalization: "normalization",
  LayerNormalization: "normalization",
  Embedding: "reshaping",
  Reshape: "reshaping",
  Permute: "reshaping",
  RepeatVector: "reshaping",
  Identity: "reshaping",
  Rescaling: "normalization",
  UnitNormalization: "normalization",
  ActivityRegularization: "regularization",
  GaussianNoise: "regularization",
  GaussianDropout: "regularization",
  AlphaDropout: "regularization",
  ReLU: "activation",
  LeakyReLU: "activation",
  PReLU: "activation",
  ELU: "activation",
  Softmax: "activation",
};

/** The classes layerFromConfig can build now, by className. */
const loaded = new Map<string, LayerFactory>([
  ["Dense", (config) => new Dense(config)],
  ["InputLayer", (config) => new InputLayer(config)],
]);

function register(className: string, layerClass: unknown): void {
  if (typeof layerClass !== "function")
    throw new Error(`densa: the module of layer class ${className} does not export it`);
  loaded.set(className, (config) => new (layerClass as LayerClass)(config));
}

/**
 * Makes classes buildable by the synchronous fromConfig. Each layer module calls it for its own class when it
 * loads (the last line of the file), so that a bundle keeps, and registers, only the classes an app uses.
 * NOTE: not the entry registering every class: that kept every layer class in every app. Unbundled (Node, Deno,
 * Bun importing the package) the entry loads every layer module, so every class is registered there.
 */
export function registerLayerClasses(classes: Record<string, unknown>): void {
  // NOTE: also public ("densa" exports it): an app whose bundle must build a class its code never names (a model
  // file loaded with loadModel) keeps and registers it with registerLayerClasses({ BatchNormalization }).
  for (const className of Object.keys(LAYER_CLASSES)) if (className in classes) register(className, classes[className]);
}

/**
 * Makes a model class buildable as a layer of another model (a nested Sequential or Functional model is saved as a
 * layer entry of its outer model). densa/infer registers inference-only models; the full package registers its
 * trainable Sequential and Model over them.
 */
export function registerModelClass(className: "Sequential" | "Functional" | "Model", factory: LayerFactory): void {
  LAYER_CLASSES[className] = null;
  loaded.set(className, factory);
}

/** Loads the modules of these classes (names densa does not know are left to layerFromConfig to refuse). */
export async function loadLayerClasses(classNames: Iterable<string>): Promise<void> {
  const missing = [...new Set(classNames)].filter(
    (className) => Object.hasOwn(LAYER_CLASSES, className) && !loaded.has(className),
  );
  const families = [...new Set(missing.map((className) => LAYER_CLASSES[className]!))];
  // NOTE: each layer module registers its class as it loads.
  await Promise.all(families.map(loadLayerFamily));
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

export function layerFromConfig(
  entry: { className: string; config: Record<string, unknown> },
  argument: string,
): Layer {
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown class, not Object's.
  const className = entry?.className;
  if (typeof className !== "string" || !Object.hasOwn(LAYER_CLASSES, className)) {
    throw new Error(
      `${argument}: densa cannot run layer class ${JSON.stringify(entry?.className)}; supported classes are ${Object.keys(LAYER_CLASSES).join(", ")}`,
    );
  }
  const factory = loaded.get(className);
  if (!factory) {
    throw new Error(
      `${argument}: layer class ${className} is not loaded: use loadModel, or registerLayerClasses({ ${className} }) to keep it in the bundle`,
    );
  }
  return factory(entry.config ?? {});
}
