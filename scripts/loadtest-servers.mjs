// The servers densa runs as examples, started as child processes on 127.0.0.1, each in its own process group:
// examples/node-server (Node `http`), and examples/worker bundled as wrangler bundles a Worker and served by
// workerd (Deno and Bun start the same example's serve.mjs). The one implementation for the load test
// (scripts/loadtest.mjs, plain node) and the edge tests (tests/edge/servers.ts re-exports it with types).
// Plain JavaScript with types beside it (loadtest-servers.d.mts), so that node runs it without a build.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { workerdConfig } from "../tests/helpers/workerd-config.mjs";

export const projectRoot = fileURLToPath(new URL("../", import.meta.url));
const bin = (name) => join(projectRoot, "node_modules/.bin", name);

/**
 * A consumer project in `dir`: package.json, node_modules/densa → this package (so "densa/infer" resolves through
 * package.json `exports`, conditions and all), deno.json, and examples/worker's src (and its model with
 * `{ model: true }`) in app/. Returns the app folder.
 */
export function createConsumer(dir, { model = false } = {}) {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(projectRoot, join(dir, "node_modules/densa"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "densa-edge-consumer", private: true, type: "module" }),
  );
  writeFileSync(join(dir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  cpSync(join(projectRoot, "examples/worker/src"), join(dir, "app/src"), { recursive: true });
  if (model) cpSync(join(projectRoot, "examples/worker/model"), join(dir, "app/model"), { recursive: true });
  return join(dir, "app");
}

/**
 * Bundles a Worker as wrangler does: ESM, conditions workerd / worker / browser, JSON inlined, and `.wasm`
 * (CompiledWasm) and `.bin` (Data) imports kept as modules of their own, copied next to the script. Checks that
 * the bundle took densa's workerd build. Returns the modules for workerd's config.
 */
export async function bundleWorker(entry, outDir) {
  mkdirSync(outDir, { recursive: true });
  const modules = [];
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    metafile: true,
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
  const densaFiles = Object.keys(result.metafile.inputs).filter((path) => path.includes("dist/densa"));
  if (!densaFiles.some((path) => path.endsWith("dist/densa-infer.workerd.js"))) {
    throw new Error(`the Worker bundle did not take dist/densa-infer.workerd.js: ${densaFiles.join(", ")}`);
  }
  return modules;
}

const children = new Set();
process.on("exit", () => children.forEach(kill));

function kill(child) {
  children.delete(child);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Starts a server process in its own process group; resolves { url, pid, stop } once `portFrom` finds its port
 * in its output (read from fd 3 with `controlFd`), or rejects with the end of its output.
 */
function startServer(command, args, { cwd, env = {}, controlFd = false }, portFrom) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe", ...(controlFd ? ["pipe"] : [])],
    detached: true,
  });
  children.add(child);
  return new Promise((resolvePort, reject) => {
    let output = "";
    let pending = "";
    const timer = setTimeout(
      () => fail(new Error(`${basename(command)} did not listen within 15 s: ${output.slice(-400)}`)),
      15_000,
    );
    const fail = (error) => {
      clearTimeout(timer);
      kill(child);
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
          resolvePort({ url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => kill(child) });
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

const listeningLine = (line) => {
  const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
};

/** examples/node-server with its two default models. */
export function startNodeServer() {
  return startServer(
    process.execPath,
    [join(projectRoot, "examples/node-server/server.mjs"), "0"],
    { cwd: projectRoot },
    listeningLine,
  );
}

/** workerd serving the Worker bundled in `workerDir` (a free port, reported on its control fd). */
export function startWorkerd(workerDir, modules) {
  writeFileSync(join(workerDir, "config.capnp"), workerdConfig(modules));
  return startServer(
    bin("workerd"),
    ["serve", "--control-fd=3", "config.capnp"],
    { cwd: workerDir, controlFd: true },
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

/** examples/worker (its committed digits model) bundled in `workDir` and served by workerd: the load test's. */
export async function startExampleWorkerd(workDir) {
  const app = createConsumer(workDir, { model: true });
  const outDir = join(workDir, "worker");
  return startWorkerd(outDir, await bundleWorker(join(app, "src/worker.mjs"), outDir));
}

/** Deno.serve, with only the permissions the example documents (net on 127.0.0.1, read). */
export function startDeno(consumerDir, workDir) {
  const args = [
    "run",
    "--no-remote",
    "--cached-only",
    "--no-lock",
    "--no-prompt",
    "--quiet",
    "--allow-net=127.0.0.1",
    "--allow-read",
    "app/src/serve.mjs",
    "0",
  ];
  const env = { DENO_DIR: join(workDir, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" };
  return startServer(bin("deno"), args, { cwd: consumerDir, env }, listeningLine);
}

/** Bun.serve; --no-install keeps Bun from fetching anything. */
export function startBun(consumerDir) {
  const env = { DO_NOT_TRACK: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };
  return startServer(bin("bun"), ["--no-install", "app/src/serve.mjs", "0"], { cwd: consumerDir, env }, listeningLine);
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
