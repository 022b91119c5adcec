import type { parseFunctional } from "../io/functional-topology.js";
import type { applyLayer } from "../layers/layer-apply.js";
import type {
  functionalConfig,
  functionalSummaryRows,
  graphFromConfig,
  isSequentialLike,
} from "./functional-config.js";
import type { adoptGraph } from "./functional-structure.js";

/**
 * The Functional API's code that models call synchronously: adopting a graph of layer calls, its config, its
 * summary rows, reading one from a file's topology and rebuilding it (functional-models.ts holds it). Provided
 * once: "densa" provides it when its trainable models load (model.ts); densa/infer through import() when loadModel
 * meets a Functional model (ts/infer.ts) or a Keras file (io/sources.ts: its readers check the topology first), so
 * that an inference app of Sequential models does not carry it. NOTE: densa/infer has no other
 * way to a Functional model (no Input, no layers to apply): only a file that holds one.
 */
export interface FunctionalSupport {
  adoptGraph: typeof adoptGraph;
  applyLayer: typeof applyLayer;
  functionalConfig: typeof functionalConfig;
  functionalSummaryRows: typeof functionalSummaryRows;
  isSequentialLike: typeof isSequentialLike;
  graphFromConfig: typeof graphFromConfig;
  parseFunctional: typeof parseFunctional;
}

let provided: FunctionalSupport | undefined;

/** The Functional API's code; an error naming `fn` when it is not loaded. */
export function functionalSupport(fn: string): FunctionalSupport {
  if (!provided) {
    throw new Error(
      `${fn}: Functional models need the Functional API's code, which densa/infer loads with a Functional model (loadModel); build them with "densa"`,
    );
  }
  return provided;
}

export function provideFunctionalSupport(support: FunctionalSupport): void {
  provided = support;
}

/** densa/infer's way to the code: a chunk of its own, loaded once. */
export async function loadFunctionalSupport(): Promise<void> {
  if (!provided) provideFunctionalSupport((await import("./functional-models.js")).FUNCTIONAL_MODELS);
}
