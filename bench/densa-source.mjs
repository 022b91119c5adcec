// densa built from its TypeScript sources (ts/) with the kernels of the last `npm run build` (build/), plus the
// engine, which the package does not export: for bench/step-profile.mjs, which wraps the engine's kernel
// bindings to time each call. Bundled with esbuild into a temporary module and imported from there.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The public API of ts/index.ts and getEngine, from a fresh esbuild bundle of the sources. `from`: another
 * checkout's root (with its own build/), to compare two versions in one process (bench/compare.mjs).
 */
export async function importDensaSource(from = root) {
  const dir = mkdtempSync(join(tmpdir(), "densa-source-"));
  const outfile = join(dir, "densa-source.mjs");
  try {
    await build({
      stdin: {
        contents: 'export * from "./ts/index.ts"; export { getEngine } from "./ts/engine/engine.ts";',
        resolveDir: from,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      outfile,
      logLevel: "error",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
