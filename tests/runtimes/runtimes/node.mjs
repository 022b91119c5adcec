// Node (the running one): the ESM entry through the `import` condition, the CJS entry through `require`.
import { runScript } from "../harness/report.mjs";

export const nodeEsm = {
  name: "node-esm",
  expectedEntry: "dist/densa.js",
  run: ({ consumerDir, timeoutMs }) => runScript(process.execPath, ["app/cli.mjs"], { cwd: consumerDir, timeoutMs }),
};

export const nodeCjs = {
  name: "node-cjs",
  expectedEntry: "dist/densa.cjs",
  run: ({ consumerDir, timeoutMs }) => runScript(process.execPath, ["app/cli.cjs"], { cwd: consumerDir, timeoutMs }),
};
