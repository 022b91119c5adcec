// Runs an example the way a user does (`node examples/<name>.mjs` from the project root) and captures it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The examples import "densa", i.e. dist/: fail with the fix rather than with a resolution error. */
export function assertBuilt(): void {
  if (!existsSync(`${projectRoot}dist/densa.js`))
    throw new Error("dist/densa.js is missing: run `npm run build` before these tests");
}

export function runExample(name: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ExampleRun> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`examples/${name}`], {
      cwd: projectRoot,
      // NOTE: DENSA_SKIP_BUILD keeps the demo from rebuilding dist/ under the other tests' feet.
      env: { ...process.env, DENSA_SKIP_BUILD: "1", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    // NOTE: a guard against a hung child only; no verdict depends on how long a run takes.
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not finish in ${timeoutMs} ms; output so far:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The number in the first line matching `pattern` (its first group); fails the test when there is none. */
export function numberIn(output: string, pattern: RegExp): number {
  const match = pattern.exec(output);
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(value)) throw new Error(`no number matches ${pattern} in:\n${output}`);
  return value;
}

/** Asserts a clean run and returns its stdout lines. */
export function expectSuccess(run: ExampleRun): string[] {
  if (run.code !== 0 || run.stderr.trim() !== "") {
    throw new Error(`exit code ${run.code}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout}`);
  }
  return run.stdout.trimEnd().split("\n");
}
