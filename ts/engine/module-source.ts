// Compiles the kernels from bytes inlined (deflated) in the bundle (Node, Deno, Bun, browsers).
// The `workerd` build swaps this file for module-source.workerd.ts (see rollup.config.mjs).
import { wasmDeflated } from "../../build/densa-wasm-inline.js";
import type { Engine } from "./engine.js";
import { compileDeflated } from "./inline-wasm.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return compileDeflated(wasmDeflated);
}

/** densa/infer's second part of the kernels (module-source.infer.ts); this module already has them all. */
export function loadLayerKernels(_engine: Engine): Promise<void> {
  return Promise.resolve();
}
