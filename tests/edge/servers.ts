// Running examples/worker as a server on 127.0.0.1 in workerd (bundled as wrangler bundles a Worker), Deno and
// Bun, from a throwaway consumer project whose node_modules/densa links to this package (so "densa/infer"
// resolves through package.json `exports`, export conditions and all).
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { workerdConfig } from "../helpers/workerd-config.mjs";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string) => join(projectRoot, "node_modules/.bin", name);

/** A consumer project in `dir`: package.json, node_modules/densa → this package, the example in app/. */
export function createConsumer(dir: string): string {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(projectRoot, join(dir, "node_modules/densa"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "densa-edge-consumer", private: true, type: "module" }),
  );
  writeFileSync(join(dir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  cpSync(join(projectRoot, "examples/worker/src"), join(dir, "app/src"), { recursive: true });
  return join(dir, "app");
}

/**
 * Bundles the Worker as wrangler does: ESM, conditions workerd / worker / browser, JSON inlined, and `.wasm`
 * (CompiledWasm) and `.bin` (Data) imports kept as modules of their own, copied next to the script.
 */
export async function bundleWorker(entry: string, outDir: string): Promise<{ name: string; kind: "wasm" | "data" }[]> {
  mkdirSync(outDir, { recursive: true });
  const modules: { name: string; kind: "wasm" | "data" }[] = [];
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

export interface Server {
  url: string;
  stop(): void;
}

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach(kill));

function kill(child: ChildProcess): void {
  children.delete(child);
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Starts a server process in its own process group; resolves once `portFrom` finds its port in its output. */
function startServer(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; controlFd?: boolean },
  portFrom: (line: string) => number | undefined,
): Promise<Server> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe", ...(options.controlFd ? ["pipe" as const] : [])],
    detached: true,
  });
  children.add(child);
  return new Promise((resolvePort, reject) => {
    let output = "";
    let pending = "";
    const timer = setTimeout(
      () => fail(new Error(`${basename(command)} did not listen within 8 s: ${output.slice(-400)}`)),
      8000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      kill(child);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk;
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const port = portFrom(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolvePort({ url: `http://127.0.0.1:${port}`, stop: () => kill(child) });
        }
      }
    };
    (options.controlFd ? (child.stdio[3] as NodeJS.ReadableStream) : child.stdout!).on("data", onData);
    child.stderr!.on("data", (chunk) => (output += chunk));
    if (options.controlFd) child.stdout!.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => fail(error));
    child.on("exit", (code, signal) =>
      fail(new Error(`${basename(command)} exited (${code ?? signal}): ${output.slice(-400)}`)),
    );
  });
}

const listeningLine = (line: string) => {
  const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
};

/** workerd serving the bundled Worker on 127.0.0.1 (a free port, reported on its control fd). */
export function startWorkerd(workerDir: string, modules: { name: string; kind: "wasm" | "data" }[]): Promise<Server> {
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

/** Deno.serve, with only the permissions the example documents (net on 127.0.0.1, read). */
export function startDeno(consumerDir: string, workDir: string): Promise<Server> {
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
export function startBun(consumerDir: string): Promise<Server> {
  const env = { DO_NOT_TRACK: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };
  return startServer(bin("bun"), ["--no-install", "app/src/serve.mjs", "0"], { cwd: consumerDir, env }, listeningLine);
}
