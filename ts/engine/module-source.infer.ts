// densa/infer's kernels, inlined like the full module but in two parts (assembly/infer-core.ts, infer-layers.ts):
// the Dense path at start, and the other layers' forward kernels in a chunk of their own, compiled when a model
// first needs one of those layers. rollup.config.mjs swaps module-source.ts for this file in the densa-infer bundles.
import { wasmDeflated } from "../../build/densa-infer-core-wasm-inline.js";
import type { Engine, Kernels } from "./engine.js";
import { compileDeflated } from "./inline-wasm.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return compileDeflated(wasmDeflated);
}

let layersModule: Promise<WebAssembly.Module> | undefined;
/** The engines whose kernels include the layers' (one instance of the layers module per engine's memory). */
const withLayers = new WeakSet<Engine>();

/** Adds the forward kernels of the layers beyond Dense to the engine (once per engine). */
export async function loadLayerKernels(engine: Engine): Promise<void> {
  if (withLayers.has(engine)) return;
  layersModule ??= import("../../build/densa-infer-layers-wasm-inline.js").then((inlined) =>
    compileDeflated(inlined.wasmDeflated),
  );
  let module: WebAssembly.Module;
  try {
    module = await layersModule;
  } catch (error) {
    layersModule = undefined; // let a later load try again (a chunk that failed to download)
    throw error;
  }
  // NOTE: the module imports the core's memory and keeps its only static data below the core's (memoryBase 256).
  const instance = await WebAssembly.instantiate(module, { env: { memory: engine.memory } });
  if (withLayers.has(engine)) return; // another load finished first
  // NOTE: the core's exports object is frozen (WebAssembly freezes it), so one object with both takes its place;
  // layers read engine.kernels when they build and run, after loadModel has awaited this.
  (engine as { kernels: Kernels }).kernels = { ...engine.kernels, ...instance.exports } as unknown as Kernels;
  withLayers.add(engine);
}
