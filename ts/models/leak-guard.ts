import type { Layer } from "../layers/layer.js";
import { releaseLayer } from "./layer-owners.js";

/**
 * Everything of a model that holds wasm memory, reachable without the model itself: its layers, and what the
 * training part adds (the step's buffers, optimizer slots, inference buffers).
 */
export interface HeldResources {
  readonly layers: Layer[];
  readonly others: Set<{ dispose(): void }>;
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
          releaseLayer(layer); // NOTE: a nested model is freed with the model that holds it.
          layer.dispose();
        }
        for (const other of held.others) other.dispose();
        held.others.clear();
      })
    : null;
