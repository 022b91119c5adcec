// Judging what a runtime reported: every check of app/checks.mjs present and passing, and "densa"
// resolved to the dist file that runtime's export condition should pick.
import { checks } from "../app/checks.mjs";
import { run, tail } from "./process.mjs";

const MARKER = "DENSA_RESULT ";

/** Runs a script runtime (Node, Deno, Bun) and returns the report it printed; throws with the reason. */
export async function runScript(command, args, { cwd, env, timeoutMs }) {
  const result = await run(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, timeoutMs });
  if (result.spawnError) throw new Error(`could not start ${command}: ${result.spawnError.message}`);
  if (result.timedOut) throw new Error(`timed out after ${timeoutMs} ms`);
  const line = result.stdout.split("\n").findLast((text) => text.startsWith(MARKER));
  if (result.code !== 0 || !line) {
    throw new Error(`exit ${result.code ?? result.signal}, no result: ${tail(result.stderr || result.stdout)}`);
  }
  return JSON.parse(line.slice(MARKER.length));
}

/** Returns a list of problems with `report` (empty when it passed). */
export function judge(report, expectedEntry) {
  const problems = [];
  const results = new Map((report?.results ?? []).map((result) => [result.name, result]));
  if (results.has("init")) problems.push(`init: ${results.get("init").error}`);
  else {
    for (const { name } of checks) {
      const result = results.get(name);
      if (!result) problems.push(`${name}: not run`);
      else if (result.error) problems.push(`${name}: ${result.error}`);
      else if (!result.ok) problems.push(`${name}: got ${short(result.got)}, expected ${short(result.expected)}`);
    }
  }
  const entry = entryFile(report?.entry);
  if (expectedEntry && entry !== expectedEntry) {
    problems.push(`"densa" resolved to ${entry ?? report?.entry ?? "nothing"}, expected ${expectedEntry}`);
  }
  return problems;
}

/**
 * Compares the answers of the `sameInEveryRuntime` checks across runtimes (`reports`: runtime name → report).
 * Returns one line per such check: `{ name, ok, detail }`, detail listing the value and who reported it.
 * Runtimes that did not report the check are left out (they already failed on their own line).
 */
export function compareAcrossRuntimes(reports) {
  return checks
    .filter((check) => check.sameInEveryRuntime)
    .map(({ name }) => {
      const byValue = new Map();
      for (const [runtime, report] of reports) {
        const result = report?.results?.find((entry) => entry.name === name);
        if (!result || result.error) continue;
        const value = JSON.stringify(result.got);
        byValue.set(value, [...(byValue.get(value) ?? []), runtime]);
      }
      const groups = [...byValue].map(([value, runtimes]) => `${runtimes.join(", ")}: ${short(JSON.parse(value))}`);
      const reported = [...byValue.values()].flat().length;
      if (byValue.size > 1) return { name, ok: false, detail: `runtimes disagree: ${groups.join(" | ")}` };
      if (reported < 2)
        return { name, ok: true, skipped: true, detail: `only ${reported} runtime reported it, nothing to compare` };
      return { name, ok: true, detail: groups[0] };
    });
}

/** `file:///…/node_modules/densa/dist/densa.js` or a plain path → `dist/densa.js`. */
export function entryFile(location) {
  if (typeof location !== "string") return undefined;
  const path = decodeURIComponent(location.replace(/^file:\/\//, "")).replaceAll("\\", "/");
  const at = path.lastIndexOf("node_modules/densa/");
  return at < 0 ? path : path.slice(at + "node_modules/densa/".length);
}

function short(value) {
  const text = JSON.stringify(value);
  return text && text.length > 120 ? text.slice(0, 117) + "..." : text;
}
