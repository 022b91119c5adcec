// Browser entry: runs the checks and leaves the report on `window` (and in the page) for the harness to read.
import * as densa from "densa";
import { runChecks } from "./checks.mjs";

runChecks(densa).then((report) => {
  document.getElementById("result").textContent = JSON.stringify(report);
  window.densaResult = report;
});
