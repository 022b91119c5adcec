import type { Layer } from "../layers/layer.js";
import { type ModelToken, releaseLayer } from "./layer-owners.js";

/**
 * Everything of a model that holds wasm memory, reachable without the model itself: its layers, and what the
 * training part adds (the step's buffers, optimizer slots, inference buffers).
 */
export interface HeldResources {
  readonly layers: Layer[];
  readonly others: Set<{ dispose(): void }>;
  /** The model's owner token: a nested model that other models still hold is left to them. */
  readonly owner: ModelToken;
}

/**
 * Frees a model's wasm memory when user code drops it without dispose().
 * NOTE: Cloudflare Workers (workerd) have no FinalizationRegistry; there the net is absent and dispose() is
 * the only way — a module that threw at load time would be worse.
 */
export const leakGuard =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<HeldResources>((held) => {
        for (const layer of held.layers) {
          // NOTE: a nested model is freed with the last model that holds it.
          if (releaseLayer(layer, held.owner)) layer.dispose();
        }
        for (const other of held.others) other.dispose();
        held.others.clear();
      })
    : null;
