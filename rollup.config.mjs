// Builds of the two entries, each with its kernels inlined (Node, Deno, Bun, browsers) and once more for the
// `workerd` condition, which imports the .wasm as a module instead:
//   ts/index.ts → dist/densa.js, .cjs, .workerd.js                   every kernel (build/densa.wasm)
//   ts/infer.ts → dist/densa-infer.js, .cjs, .workerd.js             forward kernels only (build/densa-infer.wasm)
// The ESM build of "densa" (dist/densa.js: what browsers and apps' bundlers take) keeps one file per source module
// (output.preserveModules, under dist/chunks/densa/): in one file, `layers`, `optimizers`, `losses`… would be
// namespace OBJECTS that no bundler can tree-shake; as modules, `export * as layers from "./layers/index.js"`
// stays a re-export, which Rollup (so Vite's production build; webpack 5 is documented to as well)
// shake down to the classes an app uses (`layers.Dense`), and named imports (`import { Dense } from "densa"`)
// shake in every bundler, esbuild included. package.json's "sideEffects": false lets them drop the modules an app
// never uses: the only top-level effects are registrations (a layer class for fromConfig, a model class as a
// nested layer) that matter only if the module's exports are used. The CJS and workerd builds stay one file
// each, as densa/infer's ESM build does (see below).
// Code loaded with import() — the Keras file readers and writers (ts/io/keras, hdf5, zip) — goes to chunks/ beside
// them, so that apps that never open a Keras file do not carry it (a bundler keeps the chunk apart, too); the
// entry files then re-export the public API from a chunk holding the code they share with it.
// init({ threads, relaxedSimd }) reaches the thread pool and the other kernel builds through dynamic imports,
// which become chunks of their own (dist/chunks/), fetched only when asked for;
// the workerd bundles swap that loader for a stub (Workers have neither threads nor compiling from bytes).
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";

const engineFile = (name) => fileURLToPath(new URL(`ts/engine/${name}`, import.meta.url));
// NOTE: fflate (inflate for zip entries and HDF5 chunks) is bundled, not a dependency; its browser build is pure
// JavaScript for the synchronous functions densa uses (its node build would import worker_threads).
const fflateFile = fileURLToPath(new URL("node_modules/fflate/esm/browser.js", import.meta.url));

/** Which file stands in for ts/engine/module-source.ts in each bundle (null: that file itself). */
const MODULE_SOURCES = {
  full: null,
  fullWorkerd: engineFile("module-source.workerd.ts"),
  infer: engineFile("module-source.infer.ts"),
  inferWorkerd: engineFile("module-source.infer.workerd.ts"),
};
const variantSourceWorkerd = engineFile("threads/variant-source.workerd.ts");
// NOTE: densa/infer never initializes a weight (its models come from files) nor trains, so its bundles take
// forward-only stand-ins for the initializers, the constraints and the regularizers (each .infer.ts file says what it keeps).
const sourceFile = (path) => fileURLToPath(new URL(`ts/${path}`, import.meta.url));
const FORWARD_ONLY = new Map([
  [sourceFile("initializers/index.ts"), sourceFile("initializers/index.infer.ts")],
  [sourceFile("regularizers/constraints.ts"), sourceFile("regularizers/constraints.infer.ts")],
  [sourceFile("regularizers/regularizers.ts"), sourceFile("regularizers/regularizers.infer.ts")],
]);
// NOTE: the "densa" entry exports every layer class and fetches no layer family (layer-families.full.ts says why).
const FULL_ONLY = new Map([[sourceFile("layers/layer-families.ts"), sourceFile("layers/layer-families.full.ts")]]);

/** Resolves `.js` specifiers to the `.ts` sources, as TypeScript's NodeNext resolution does. */
function typescriptSpecifiers(moduleSource) {
  return {
    name: "densa-resolve",
    async resolveId(source, importer) {
      // NOTE: resolved into dist/ so that a chunk in dist/chunks/ imports "../densa.wasm".
      if (source === "./densa.wasm" || source === "./densa-infer.wasm")
        return { id: fileURLToPath(new URL(`dist/${source.slice(2)}`, import.meta.url)), external: true };
      if (source === "fflate") return fflateFile;
      if (!importer || !source.startsWith(".")) return null;
      if (moduleSource && source.endsWith("/module-source.js")) return moduleSource;
      if (moduleSource?.endsWith(".workerd.ts") && source.endsWith("/variant-source.js")) return variantSourceWorkerd;
      if (source.endsWith(".js")) {
        const asTs = await this.resolve(source.slice(0, -3) + ".ts", importer, { skipSelf: true });
        if (asTs && moduleSource?.includes(".infer.") && FORWARD_ONLY.has(asTs.id)) return FORWARD_ONLY.get(asTs.id);
        if (asTs && !moduleSource?.includes(".infer.") && FULL_ONLY.has(asTs.id)) return FULL_ONLY.get(asTs.id);
        if (asTs) return asTs;
      }
      return null;
    },
  };
}

const bundle = (input, moduleSource, output) => ({
  input,
  external: [/^node:/],
  // NOTE: the entry files export exactly the public API: the code they share with their import() chunks lives
  // in dist/chunks/, and each entry file re-exports from it.
  preserveEntrySignatures: "exports-only",
  output,
  plugins: [typescriptSpecifiers(MODULE_SOURCES[moduleSource]), esbuild({ target: "es2022" })],
});

/** One output file (and its import() chunks, in dist/chunks/) per entry and format. */
const output = (entry, format) => ({
  dir: "dist",
  format,
  entryFileNames: entry,
  // NOTE: no content hash: a package's files are not cached by URL (the app's bundler names its own chunks), and
  // every name an import() keeps is carried by every app, its random characters costing gzip the most.
  // The chunk holding the entry's own code is named after the entry ("index", "infer"), not after whichever
  // import() target rollup merged into it.
  chunkFileNames: (chunk) => {
    const main = chunk.moduleIds.find((id) => /\/ts\/(index|infer)\.ts$/.test(id));
    const name = main ? main.slice(main.lastIndexOf("/") + 1, -3) : chunk.name;
    return `chunks/${entry.replace(/\.[^.]+$/, "")}-${name}.${format === "cjs" ? "cjs" : "js"}`;
  },
});

/**
 * The ESM build as one file per source module: the entry is dist/<entry>, the others keep their source paths
 * under dist/chunks/<entry name>/ (ts/layers/dense.ts → dist/chunks/densa/ts/layers/dense.js).
 */
const modules = (entry) => ({
  dir: "dist",
  format: "es",
  preserveModules: true,
  entryFileNames: (chunk) =>
    chunk.isEntry && /\/ts\/(index|infer)\.ts$/.test(chunk.facadeModuleId ?? "")
      ? entry
      : // NOTE: npm pack leaves out every node_modules folder, so the bundled fflate goes to vendor/.
        `chunks/${entry.replace(/\.[^.]+$/, "")}/${chunk.name.replace(/(^|\/)node_modules\//g, "$1vendor/")}.js`,
});

export default [
  bundle("ts/index.ts", "full", [modules("densa.js"), output("densa.cjs", "cjs")]),
  bundle("ts/index.ts", "fullWorkerd", output("densa.workerd.js", "es")),
  // NOTE: densa/infer stays one file and its import() chunks: it exports no namespace to shake, and as modules its
  // esbuild-bundled apps came out 2.4 kB larger (its layer families are import() targets that share modules).
  bundle("ts/infer.ts", "infer", [output("densa-infer.js", "es"), output("densa-infer.cjs", "cjs")]),
  bundle("ts/infer.ts", "inferWorkerd", output("densa-infer.workerd.js", "es")),
];
