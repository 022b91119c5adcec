// densa/infer under the `workerd` condition: the forward-only module as a compiled-module import, because
// Workers forbid compiling WebAssembly from bytes (see module-source.workerd.ts).
// @ts-expect-error -- resolved by the Workers bundler, not by TypeScript
import kernelsModule from "./densa-infer.wasm";
import type { Engine } from "./engine.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return Promise.resolve(kernelsModule as WebAssembly.Module);
}

/** densa/infer's second part of the kernels (module-source.infer.ts); this module already has them all. */
export function loadLayerKernels(_engine: Engine): Promise<void> {
  return Promise.resolve();
}
