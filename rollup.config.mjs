// Bundles of the two entries, each with its kernels inlined (Node, Deno, Bun, browsers) and once more for the
// `workerd` condition, which imports the .wasm as a module instead:
//   ts/index.ts → dist/densa.js, .cjs, .workerd.js                   every kernel (build/densa.wasm)
//   ts/infer.ts → dist/densa-infer.js, .cjs, .workerd.js             forward kernels only (build/densa-infer.wasm)
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";

const engineFile = (name) => fileURLToPath(new URL(`ts/engine/${name}`, import.meta.url));

/** Which file stands in for ts/engine/module-source.ts in each bundle (null: that file itself). */
const MODULE_SOURCES = {
  full: null,
  fullWorkerd: engineFile("module-source.workerd.ts"),
  infer: engineFile("module-source.infer.ts"),
  inferWorkerd: engineFile("module-source.infer.workerd.ts"),
};

/** Resolves `.js` specifiers to the `.ts` sources, as TypeScript's NodeNext resolution does. */
function typescriptSpecifiers(moduleSource) {
  return {
    name: "densa-resolve",
    async resolveId(source, importer) {
      if (source === "./densa.wasm" || source === "./densa-infer.wasm") return { id: source, external: true };
      if (!importer || !source.startsWith(".")) return null;
      if (moduleSource && source.endsWith("/module-source.js")) return moduleSource;
      if (source.endsWith(".js")) {
        const asTs = await this.resolve(source.slice(0, -3) + ".ts", importer, { skipSelf: true });
        if (asTs) return asTs;
      }
      return null;
    },
  };
}

const bundle = (input, moduleSource, output) => ({
  input,
  external: [/^node:/],
  output,
  plugins: [typescriptSpecifiers(MODULE_SOURCES[moduleSource]), esbuild({ target: "es2022" })],
});

export default [
  bundle("ts/index.ts", "full", [
    { file: "dist/densa.js", format: "es" },
    { file: "dist/densa.cjs", format: "cjs" },
  ]),
  bundle("ts/index.ts", "fullWorkerd", { file: "dist/densa.workerd.js", format: "es" }),
  bundle("ts/infer.ts", "infer", [
    { file: "dist/densa-infer.js", format: "es" },
    { file: "dist/densa-infer.cjs", format: "cjs" },
  ]),
  bundle("ts/infer.ts", "inferWorkerd", { file: "dist/densa-infer.workerd.js", format: "es" }),
];
