// densa/infer's built entries (dist/densa-infer.js and .cjs), for the tests of what it carries and loads.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export const dist = new URL("../../dist/", import.meta.url);
export type InferModule = typeof import("../../ts/infer.js");

/** The ES module and the CommonJS entry, each with its own kernels, memory and layer registry. */
export async function inferEntries(): Promise<{ esm: InferModule; cjs: InferModule }> {
  return {
    esm: await import(/* @vite-ignore */ new URL("densa-infer.js", dist).href),
    cjs: createRequire(import.meta.url)(new URL("densa-infer.cjs", dist).pathname),
  };
}

/** An entry file with the chunks it imports statically (dist/chunks/: the code it shares with its import() chunks). */
export function bundledSource(file: string): string {
  const source = readFileSync(new URL(file, dist), "utf8");
  const chunks = [...source.matchAll(/from\s*["']\.\/(chunks\/[^"']+)["']/g)].map((match) =>
    readFileSync(new URL(match[1], dist), "utf8"),
  );
  return [source, ...chunks].join("\n");
}
