// The Functional API's code as one object, for functional-support.ts: "densa" imports it with its trainable
// models, densa/infer through import() when a file holds a Functional model (a chunk of its own).
import { parseFunctional } from "../io/functional-topology.js";
import { applyLayer } from "../layers/layer-apply.js";
import { functionalConfig, functionalSummaryRows, graphFromConfig, isSequentialLike } from "./functional-config.js";
import { adoptGraph } from "./functional-structure.js";
import type { FunctionalSupport } from "./functional-support.js";

export const FUNCTIONAL_MODELS: FunctionalSupport = {
  adoptGraph,
  applyLayer,
  functionalConfig,
  functionalSummaryRows,
  isSequentialLike,
  graphFromConfig,
  parseFunctional,
};
