// The kernel builds beside the default one (asconfig.json "threads", "relaxed", "threads-relaxed"): the threaded
// ones import exactly one thing, their shared memory; the relaxed ones carry relaxed_madd in the GEMM microkernel
// only; all of them export what the default build does plus the range kernels the pool splits tasks with.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { relaxedSimdSupported } from "../../ts/engine/threads/capabilities.js";

const wasm = (name: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(readFileSync(new URL(`../../build/${name}.wasm`, import.meta.url)));
const exportNames = (bytes: Uint8Array<ArrayBuffer>) =>
  WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((entry) => entry.name);

describe("kernel builds for threads and relaxed SIMD", () => {
  it("the threaded build imports only env.memory, and exports every default kernel plus the range kernels", () => {
    const module = new WebAssembly.Module(wasm("densa-threads"));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    const names = exportNames(wasm("densa-threads"));
    for (const name of exportNames(wasm("densa"))) expect(names, name).toContain(name);
    for (const name of [
      "gemmRange",
      "adamRange",
      "sgdRange",
      "activationBackwardRange",
      "useGemmScratch",
      "gemmScratchBytes",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("instantiates on a shared memory of the size init() creates", async () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const { instance } = await WebAssembly.instantiate(wasm("densa-threads"), { env: { memory } });
    const heapBase = (instance.exports.heapBase as () => number)();
    expect(heapBase).toBeLessThanOrEqual(memory.buffer.byteLength);
  });

  it("the relaxed builds validate exactly where init's feature test says relaxed SIMD is supported", () => {
    expect(WebAssembly.validate(wasm("densa-threads"))).toBe(true);
    // NOTE: false in Node 20 without --experimental-wasm-relaxed-simd (threads-process.test.ts runs with it).
    expect(WebAssembly.validate(wasm("densa-relaxed"))).toBe(relaxedSimdSupported());
    expect(WebAssembly.validate(wasm("densa-threads-relaxed"))).toBe(relaxedSimdSupported());
  });
});
