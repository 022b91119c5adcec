// Bun, from the `bun` npm package. `--no-install` turns off Bun's auto-install, so "densa" can only come
// from the consumer's node_modules and nothing is fetched.
import { join } from "node:path";
import { runScript } from "../harness/report.mjs";

export const bun = {
  name: "bun",
  expectedEntry: "dist/densa.js",
  run({ projectRoot, consumerDir, timeoutMs }) {
    const env = { DO_NOT_TRACK: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };
    const args = ["--no-install", "app/cli.mjs"];
    return runScript(join(projectRoot, "node_modules/.bin/bun"), args, { cwd: consumerDir, env, timeoutMs });
  },
};
