// The shipped kernels: one release module with SIMD code, no imports, and nothing but numbers across the
// JS boundary (DESIGN.md: "no v128 across the JS boundary, no imports").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const wasm = readFileSync(new URL("../../build/densa.wasm", import.meta.url));
const wat = readFileSync(new URL("../../build/densa.wat", import.meta.url), "utf8");

describe("build/densa.wasm", () => {
  it("imports nothing", () => {
    const module = new WebAssembly.Module(wasm);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  it("contains hand-written SIMD code", () => {
    for (const instruction of ["f32x4.add", "f32x4.mul", "v128.load", "v128.store", "f32x4.splat"]) {
      expect(wat, instruction).toContain(instruction);
    }
  });

  it("exports only functions of numbers, the memory and integer constants", () => {
    const module = new WebAssembly.Module(wasm);
    const kinds = new Set(WebAssembly.Module.exports(module).map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(["function", "global", "memory"]);
    const exportedFunctions = [...wat.matchAll(/\(export "([^"]+)" \(func (\$[^)\s]+)\)\)/g)];
    expect(exportedFunctions.length).toBeGreaterThan(40);
    for (const [, name, id] of exportedFunctions) {
      const header = wat.match(
        new RegExp(`\\(func ${id.replace(/[$/\\.]/g, (c) => `\\${c}`)}((?: \\((?:param|result)[^)]*\\))*)`),
      );
      expect(header, name).not.toBeNull();
      expect(header![1], `${name} signature`).not.toContain("v128");
    }
  });
});
