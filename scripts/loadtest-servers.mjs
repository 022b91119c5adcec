// The two servers the load test drives, each a child process on 127.0.0.1 in its own process group:
// examples/node-server (Node `http`, two models) and examples/worker in workerd (bundled as wrangler bundles it,
// as tests/edge/servers.ts does, from a consumer folder whose node_modules/densa links to this package).
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { workerdConfig } from "../tests/helpers/workerd-config.mjs";

export const projectRoot = fileURLToPath(new URL("../", import.meta.url));

/** Starts a process; resolves { url, pid, stop } once `portFrom` finds the port in its output (or rejects). */
function start(command, args, { cwd, controlFd = false }, portFrom) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe", ...(controlFd ? ["pipe"] : [])],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  return new Promise((resolvePort, reject) => {
    let output = "";
    let pending = "";
    const timer = setTimeout(
      () => fail(new Error(`${basename(command)} did not listen within 15 s: ${output.slice(-400)}`)),
      15_000,
    );
    const fail = (error) => {
      clearTimeout(timer);
      stop();
      reject(error);
    };
    (controlFd ? child.stdio[3] : child.stdout).on("data", (chunk) => {
      output += chunk;
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const port = portFrom(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolvePort({ url: `http://127.0.0.1:${port}`, pid: child.pid, stop });
        }
      }
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    if (controlFd) child.stdout.on("data", (chunk) => (output += chunk));
    child.on("error", fail);
    child.on("exit", (code, signal) =>
      fail(new Error(`${basename(command)} exited (${code ?? signal}): ${output.slice(-400)}`)),
    );
  });
}

/** examples/node-server with its two default models. */
export function startNodeServer() {
  return start(
    process.execPath,
    [join(projectRoot, "examples/node-server/server.mjs"), "0"],
    { cwd: projectRoot },
    (line) => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      return match ? Number(match[1]) : undefined;
    },
  );
}

/** examples/worker (its committed digits model) in workerd, bundled in `workDir`. */
export async function startWorkerd(workDir) {
  mkdirSync(join(workDir, "node_modules"), { recursive: true });
  symlinkSync(projectRoot, join(workDir, "node_modules/densa"), "dir");
  writeFileSync(
    join(workDir, "package.json"),
    JSON.stringify({ name: "densa-loadtest-worker", private: true, type: "module" }),
  );
  cpSync(join(projectRoot, "examples/worker/src"), join(workDir, "app/src"), { recursive: true });
  cpSync(join(projectRoot, "examples/worker/model"), join(workDir, "app/model"), { recursive: true });
  const outDir = join(workDir, "worker");
  mkdirSync(outDir, { recursive: true });
  const modules = [];
  await esbuild.build({
    entryPoints: [join(workDir, "app/src/worker.mjs")],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "silent",
    plugins: [
      {
        name: "worker-modules",
        setup(build) {
          build.onResolve({ filter: /\.(wasm|bin)$/ }, (args) => {
            const name = basename(args.path);
            copyFileSync(resolve(args.resolveDir, args.path), join(outDir, name));
            if (!modules.some((module) => module.name === name))
              modules.push({ name, kind: name.endsWith(".wasm") ? "wasm" : "data" });
            return { path: `./${name}`, external: true };
          });
        },
      },
    ],
  });
  writeFileSync(join(outDir, "config.capnp"), workerdConfig(modules));
  return start(
    join(projectRoot, "node_modules/.bin/workerd"),
    ["serve", "--control-fd=3", "config.capnp"],
    { cwd: outDir, controlFd: true },
    (line) => {
      try {
        const message = JSON.parse(line);
        return message.event === "listen" && message.socket === "http" ? message.port : undefined;
      } catch {
        return undefined;
      }
    },
  );
}

/**
 * Resident set size of a process and its children, in bytes (Linux /proc; elsewhere `ps`).
 * NOTE: the workerd launcher in node_modules/.bin may be a wrapper whose child is the real workerd; the whole
 * process group is summed so that either way the server is measured.
 */
export function residentBytes(pid) {
  try {
    const pids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [pid, ...pids].reduce((total, one) => total + residentBytes1(one), 0);
  } catch {
    return residentBytes1(pid);
  }
}

function residentBytes1(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return (
    Number(
      execFileSync("ps", ["-o", "rss=", "-p", String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}
