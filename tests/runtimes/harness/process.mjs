// Child processes with timeouts. Every child gets its own process group (detached), so that killing it also
// kills anything it started, and every live child is killed when the harness exits, however it exits.
import { spawn } from "node:child_process";

const live = new Set();

/** Runs a command to completion (or until `timeoutMs`); resolves with its output, never rejects. */
export function run(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = start(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      stop(child);
    }, timeoutMs);
    const finish = (code, signal, spawnError) => {
      clearTimeout(timer);
      stop(child); // also reaps grandchildren still holding the group
      resolve({ code, signal, stdout, stderr, timedOut, spawnError, ms: performance.now() - started });
    };
    child.on("error", (error) => finish(null, null, error));
    child.on("close", (code, signal) => finish(code, signal));
  });
}

/** Starts a long-running child in its own process group; the caller must `stop` it. */
export function start(command, args, { cwd, env, extraFds = 0 }) {
  const stdio = ["ignore", "pipe", "pipe", ...Array(extraFds).fill("pipe")];
  const child = spawn(command, args, { cwd, env, stdio, detached: true });
  live.add(child);
  child.on("exit", () => live.delete(child));
  child.on("error", () => live.delete(child));
  return child;
}

/** Kills a child's whole process group (SIGKILL: nothing here holds state worth a graceful shutdown). */
export function stop(child) {
  live.delete(child);
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function stopAll() {
  for (const child of [...live]) stop(child);
}

process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopAll();
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });
}

/** One line of a child's output for an error message: the last non-empty stderr/stdout lines, trimmed. */
export function tail(text, lines = 3) {
  return text.trim().split("\n").slice(-lines).join(" | ").slice(0, 400);
}
