import { ExtremumMerge } from "./extremum-merge.js";
import type { LayerArgs } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";

/** Keras's Minimum: the element-wise minimum of its inputs (see ExtremumMerge). */
export class Minimum extends ExtremumMerge {
  readonly className = "Minimum";
  protected readonly takeMax = false;

  constructor(args: LayerArgs = {}) {
    super(args, "Minimum");
  }
}

registerLayerClasses({ Minimum });
