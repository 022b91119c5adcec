// The child processes of the reliability tests run today's sources: ts/index.ts bundled by esbuild into one
// ES module (as the unit tests import ts/), not dist/, which may be older than the sources.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles densa into `folder`/densa.mjs and returns that path. */
export async function bundleDensa(folder: string): Promise<string> {
  const outfile = join(folder, "densa.mjs");
  await build({
    entryPoints: [join(root, "ts/index.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile,
    logLevel: "error",
  });
  return outfile;
}
