import type {
  functionalConfig,
  functionalSummaryRows,
  graphFromConfig,
  isSequentialLike,
} from "./functional-config.js";
import type { adoptGraph } from "./functional-structure.js";

/**
 * The Functional API's code that models call synchronously: adopting a graph of layer calls, its config, its
 * summary rows, rebuilding one from a config (functional-models.ts holds it). Provided once: "densa" provides it
 * when its trainable models load (model.ts); densa/infer when loadModel meets a Functional model, through import()
 * (ts/infer.ts), so that an inference app of Sequential models does not carry it. NOTE: densa/infer has no other
 * way to a Functional model (no Input, no layers to apply): only a file that holds one.
 */
export interface FunctionalSupport {
  adoptGraph: typeof adoptGraph;
  functionalConfig: typeof functionalConfig;
  functionalSummaryRows: typeof functionalSummaryRows;
  isSequentialLike: typeof isSequentialLike;
  graphFromConfig: typeof graphFromConfig;
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

export function hasFunctionalSupport(): boolean {
  return provided !== undefined;
}
