// Node (the running one): the ESM entry through the `import` condition, the CJS entry through `require`.
// --disallow-code-generation-from-strings makes eval / new Function throw (WebAssembly still compiles),
// holding the package to its "no eval" rule as a strict CSP would.
import { runScript } from "../harness/report.mjs";

const FLAGS = ["--disallow-code-generation-from-strings"];

export const nodeEsm = {
  name: "node-esm",
  expectedEntry: "dist/densa.js",
  run: ({ consumerDir, timeoutMs }) =>
    runScript(process.execPath, [...FLAGS, "app/cli.mjs"], { cwd: consumerDir, timeoutMs }),
};

export const nodeCjs = {
  name: "node-cjs",
  expectedEntry: "dist/densa.cjs",
  run: ({ consumerDir, timeoutMs }) =>
    runScript(process.execPath, [...FLAGS, "app/cli.cjs"], { cwd: consumerDir, timeoutMs }),
};
