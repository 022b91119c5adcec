// The modules of the layer families (Keras's package layout: merging, normalization, activation, regularization,
// reshaping), loaded through import(): densa/infer's loadModel fetches the families a file uses, each one chunk,
// so that a Dense-only model never loads BatchNormalization and an app carries few chunk names.
// NOTE: the "densa" entry's builds take layer-families.full.ts instead (rollup.config.mjs): that entry exports
// every layer class, and an import() of the same modules would make esbuild load them all at start (a module an
// entry reaches through its re-exports and an import() target reaches too goes to a chunk the entry imports).

export type LayerFamily = "activation" | "merging" | "normalization" | "regularization" | "reshaping";

/** Loads one family's module; its layer modules register their classes as they load. */
export const loadLayerFamily = (family: LayerFamily): Promise<unknown> => FAMILIES[family]();

const FAMILIES: Record<LayerFamily, () => Promise<unknown>> = {
  activation: () => import("./activation-layers.js"),
  merging: () => import("./merging-layers.js"),
  normalization: () => import("./normalization-layers.js"),
  regularization: () => import("./regularization-layers.js"),
  reshaping: () => import("./reshaping-layers.js"),
};
