// Deno, from the `deno` npm package. "densa" resolves from the consumer's node_modules
// (`nodeModulesDir: "manual"`, Deno's mode for a node_modules installed by npm); remote imports are
// forbidden and no permissions are granted, so the package must load and run with none.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "../harness/report.mjs";

export const deno = {
  name: "deno",
  expectedEntry: "dist/densa.js",
  run({ projectRoot, consumerDir, workDir, timeoutMs }) {
    writeFileSync(join(consumerDir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
    const args = ["run", "--no-remote", "--cached-only", "--no-lock", "--no-prompt", "--quiet", "app/cli.mjs"];
    const env = { DENO_DIR: join(workDir, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" };
    return runScript(join(projectRoot, "node_modules/.bin/deno"), args, { cwd: consumerDir, env, timeoutMs });
  },
};
