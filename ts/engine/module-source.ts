// Compiles the kernels from bytes inlined in the bundle (Node, Deno, Bun, browsers).
// The `workerd` build swaps this file for module-source.workerd.ts (see rollup.config.mjs).
import { wasmBase64 } from "../../build/densa-wasm-inline.js";

export function compileKernels(): Promise<WebAssembly.Module> {
  // NOTE: atob exists in every supported runtime and keeps Node's Buffer out of the bundle.
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return WebAssembly.compile(bytes);
}
