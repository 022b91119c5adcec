// ESM entry for runtimes that run a script (Node, Deno, Bun): imports densa as a consumer would and prints
// one result line for the harness to parse.
import * as densa from "densa";
import { runChecks } from "./checks.mjs";

const report = await runChecks(densa);
report.entry = import.meta.resolve("densa");
console.log("DENSA_RESULT " + JSON.stringify(report));
