// densa/infer's kernels: the forward-only module (assembly/infer.ts), inlined like the full one.
// rollup.config.mjs swaps module-source.ts for this file in the densa-infer bundles.
import { wasmDeflated } from "../../build/densa-infer-wasm-inline.js";
import { compileDeflated } from "./inline-wasm.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return compileDeflated(wasmDeflated);
}
