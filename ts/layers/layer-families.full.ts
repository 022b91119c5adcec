// Stand-in for layer-families.ts in the "densa" entry's builds (rollup.config.mjs): nothing to fetch. That entry
// exports every layer class, so each class an app's code uses is in its bundle and registered as its module
// loads; unbundled (Node, Deno, Bun, a page importing dist/ directly) every layer module loads with the entry.
// A class a bundler left out (the app never names it) is refused by layerFromConfig with a message that says how
// to keep it.
// NOTE: no import() of the layer modules here, on purpose: see layer-families.ts.
import type { LayerFamily } from "./layer-families.js";

export type { LayerFamily };

export const loadLayerFamily: (family: LayerFamily) => Promise<unknown> = () => Promise.resolve();
