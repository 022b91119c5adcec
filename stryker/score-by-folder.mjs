#!/usr/bin/env node
// Prints the mutation score of each mutated folder from Stryker's JSON report (mutation-testing-report-schema):
//   node stryker/score-by-folder.mjs [report.json] [--survivors]
// score = (killed + timeout) / (killed + timeout + survived + no coverage), Stryker's own definition; ignored
// (static) mutants and compile / runtime errors do not count. --survivors lists every surviving or uncovered
// mutant as file:line:column, mutator and replacement, for review.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const listSurvivors = args.includes("--survivors");
const reportPath = args.find((arg) => !arg.startsWith("--")) ?? "reports/mutation/mutation.json";

let report;
try {
  report = JSON.parse(readFileSync(reportPath, "utf8"));
} catch (error) {
  console.error(
    `score-by-folder: cannot read the Stryker JSON report ${reportPath} (${error.message}); run npm run test:mutation first`,
  );
  process.exit(1);
}

const STATUSES = ["Killed", "Timeout", "Survived", "NoCoverage", "Ignored", "CompileError", "RuntimeError"];
const rows = new Map();
const survivors = [];
for (const [fileName, file] of Object.entries(report.files ?? {})) {
  const folder = fileName.split("/").slice(0, -1).join("/");
  const counts = rows.get(folder) ?? Object.fromEntries(STATUSES.map((status) => [status, 0]));
  for (const mutant of file.mutants) {
    counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
      const { line, column } = mutant.location.start;
      survivors.push(
        `${fileName}:${line}:${column}  ${mutant.status}  ${mutant.mutatorName}  ${JSON.stringify(mutant.replacement ?? "")}`,
      );
    }
  }
  rows.set(folder, counts);
}

const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return valid === 0 ? "n/a" : `${((100 * detected) / valid).toFixed(2)} %`;
};
const header = ["folder", "killed", "timeout", "survived", "no coverage", "ignored", "errors", "score"];
const table = [...rows.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([folder, c]) => [
    folder,
    c.Killed,
    c.Timeout,
    c.Survived,
    c.NoCoverage,
    c.Ignored,
    c.CompileError + c.RuntimeError,
    score(c),
  ]);
const total = Object.fromEntries(
  STATUSES.map((status) => [status, [...rows.values()].reduce((sum, c) => sum + c[status], 0)]),
);
table.push([
  "all",
  total.Killed,
  total.Timeout,
  total.Survived,
  total.NoCoverage,
  total.Ignored,
  total.CompileError + total.RuntimeError,
  score(total),
]);
const widths = header.map((title, i) => Math.max(title.length, ...table.map((row) => String(row[i]).length)));
const line = (cells) =>
  cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  ");
console.log(`\nMutation score by folder (${reportPath}):\n`);
console.log(line(header));
for (const row of table) console.log(line(row));
if (listSurvivors) {
  console.log(`\nSurviving and uncovered mutants (${survivors.length}):`);
  for (const entry of survivors) console.log(`  ${entry}`);
}
