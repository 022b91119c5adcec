// Bundles of the two entries, each with its kernels inlined (Node, Deno, Bun, browsers) and once more for the
// `workerd` condition, which imports the .wasm as a module instead:
//   ts/index.ts → dist/densa.js, .cjs, .workerd.js                   every kernel (build/densa.wasm)
//   ts/infer.ts → dist/densa-infer.js, .cjs, .workerd.js             forward kernels only (build/densa-infer.wasm)
// init({ threads, relaxedSimd }) reaches the thread pool and the other kernel builds through dynamic imports,
// which become chunks of their own beside the entry (dist/densa-chunk-*.js / .cjs), fetched only when asked for;
// the workerd bundles swap that loader for a stub (Workers have neither threads nor compiling from bytes).
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
const variantSourceWorkerd = engineFile("threads/variant-source.workerd.ts");

/** Resolves `.js` specifiers to the `.ts` sources, as TypeScript's NodeNext resolution does. */
function typescriptSpecifiers(moduleSource) {
  return {
    name: "densa-resolve",
    async resolveId(source, importer) {
      if (source === "./densa.wasm" || source === "./densa-infer.wasm") return { id: source, external: true };
      if (!importer || !source.startsWith(".")) return null;
      if (moduleSource && source.endsWith("/module-source.js")) return moduleSource;
      if (moduleSource?.endsWith(".workerd.ts") && source.endsWith("/variant-source.js")) return variantSourceWorkerd;
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
  // NOTE: lets the entry chunk export what the lazily loaded chunks import from it (Engine, …); otherwise rollup
  // moves the whole library into a shared chunk behind a one-line facade.
  preserveEntrySignatures: "allow-extension",
  external: [/^node:/],
  output,
  plugins: [typescriptSpecifiers(MODULE_SOURCES[moduleSource]), esbuild({ target: "es2022" })],
});

/** One output of a bundle: the entry file `name` in dist/, its lazily loaded chunks named after it. */
const output = (format, name, extension) => ({
  dir: "dist",
  format,
  entryFileNames: `${name}${extension}`,
  chunkFileNames: `${name}-chunk-[name]${extension}`,
});

export default [
  bundle("ts/index.ts", "full", [output("es", "densa", ".js"), output("cjs", "densa", ".cjs")]),
  bundle("ts/index.ts", "fullWorkerd", output("es", "densa.workerd", ".js")),
  bundle("ts/infer.ts", "infer", [output("es", "densa-infer", ".js"), output("cjs", "densa-infer", ".cjs")]),
  bundle("ts/infer.ts", "inferWorkerd", output("es", "densa-infer.workerd", ".js")),
];
