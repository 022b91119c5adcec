// Cloudflare Workers forbid compiling WebAssembly from bytes; their bundlers hand us a compiled module
// for a `.wasm` import instead (wrangler's CompiledWasm rule, esbuild with the loader kept external).
// @ts-expect-error -- resolved by the Workers bundler, not by TypeScript
import kernelsModule from "./densa.wasm";
import type { Engine } from "./engine.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return Promise.resolve(kernelsModule as WebAssembly.Module);
}

/** densa/infer's second part of the kernels (module-source.infer.ts); this module already has them all. */
export function loadLayerKernels(_engine: Engine): Promise<void> {
  return Promise.resolve();
}
