import { ExtremumMerge } from "./extremum-merge.js";
import type { LayerArgs } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";

/** Keras's Maximum: the element-wise maximum of its inputs (see ExtremumMerge). */
export class Maximum extends ExtremumMerge {
  readonly className = "Maximum";
  protected readonly takeMax = true;

  constructor(args: LayerArgs = {}) {
    super(args, "Maximum");
  }
}

registerLayerClasses({ Maximum });
