// CommonJS entry for Node: `require("densa")` must load the package's `require` export.
const densa = require("densa");

import("./checks.mjs").then(async ({ runChecks }) => {
  const report = await runChecks(densa);
  report.entry = require.resolve("densa");
  console.log("DENSA_RESULT " + JSON.stringify(report));
});
