// Compiles the kernels from bytes inlined in the bundle (Node, Deno, Bun, browsers).
// The `workerd` build swaps this file for module-source.workerd.ts (see rollup.config.mjs).
import { wasmHex } from "../../build/densa-wasm-inline.js";
import { compileInlined } from "./inline-wasm.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  return compileInlined(wasmHex);
}
