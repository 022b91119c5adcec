// A throwaway consumer project outside the repository, with the packed package installed as
// node_modules/densa. Going through `npm pack` exercises package.json `files` and `exports` exactly as a
// user's install would; keeping the app outside the repo stops Node from resolving "densa" to the
// project itself (package self-reference) instead of to the installed copy.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { run, tail } from "./process.mjs";

/** Packs `projectRoot` and installs it into `<workDir>/consumer`; copies the app next to it. */
export async function createConsumer(projectRoot, workDir, appDir) {
  const packed = await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], projectRoot);
  const [pack] = JSON.parse(packed.stdout);
  const dir = join(workDir, "consumer");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "densa-consumer", private: true, type: "module" }));
  const offline = ["--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--loglevel=error"];
  await npm(["install", ...offline, join(workDir, pack.filename)], dir);
  cpSync(appDir, join(dir, "app"), { recursive: true });
  return { dir, pack };
}

/**
 * Runs the system's npm. NOTE: `npm run` puts node_modules/.bin first on PATH, and a dependency may ship
 * its own (old) npm there; a consumer packs and installs with their own npm, so those entries are dropped.
 */
async function npm(args, cwd) {
  const path = (process.env.PATH ?? "").split(delimiter).filter((dir) => !/node_modules[\\/]\.bin$/.test(dir));
  const env = { ...process.env, PATH: path.join(delimiter), NO_COLOR: "1" };
  const result = await run("npm", args, { cwd, env, timeoutMs: 30_000 });
  if (result.code !== 0) {
    const why = result.timedOut ? "timed out" : (result.spawnError?.message ?? tail(result.stderr || result.stdout));
    throw new Error(`npm ${args[0]} failed: ${why}`);
  }
  return result;
}
