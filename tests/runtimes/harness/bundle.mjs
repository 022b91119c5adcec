// Bundles an app entry with esbuild, as a consumer's bundler would, and tells which file of the installed
// package ended up in the bundle (so the harness can check which export condition won).
import { copyFileSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { entryFile } from "./report.mjs";

/**
 * Bundles `entry` to `outfile`. `.wasm` imports stay external and their files are copied next to the
 * bundle under their own names (what wrangler does with its CompiledWasm rule); returns their names.
 */
export async function bundle({ entry, outfile, platform, conditions }) {
  mkdirSync(dirname(outfile), { recursive: true });
  const wasmModules = [];
  const keepWasmExternal = {
    name: "keep-wasm-external",
    setup(build) {
      build.onResolve({ filter: /\.wasm$/ }, (args) => {
        const name = basename(args.path);
        copyFileSync(resolve(args.resolveDir, args.path), join(dirname(outfile), name));
        if (!wasmModules.includes(name)) wasmModules.push(name);
        return { path: `./${name}`, external: true };
      });
    },
  };
  const result = await esbuild
    .build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: "esm",
      target: "es2022",
      platform,
      conditions,
      metafile: true,
      logLevel: "silent",
      plugins: [keepWasmExternal],
    })
    .catch((error) => {
      throw new Error(`esbuild: ${error.errors?.map((message) => message.text).join("; ") ?? error.message}`);
    });
  // NOTE: the entry's code and its import() chunks live in dist/chunks/; the entry file says which condition won.
  const inputs = Object.keys(result.metafile.inputs).filter(
    (path) => path.includes("node_modules/densa/") && !path.includes("/chunks/"),
  );
  return { wasmModules, entries: inputs.map(entryFile) };
}
