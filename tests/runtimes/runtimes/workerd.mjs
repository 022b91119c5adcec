// workerd, the Cloudflare Workers runtime, from the `workerd` npm package. The worker is bundled as wrangler
// bundles it (conditions workerd/worker/browser, ESM, the `.wasm` import kept as a separate module, because
// Workers refuse to compile WebAssembly from bytes), served on 127.0.0.1 and asked for its report.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { workerdConfig } from "../../helpers/workerd-config.mjs";
import { bundle } from "../harness/bundle.mjs";
import { start, stop, tail } from "../harness/process.mjs";

export const workerd = {
  name: "workerd",
  expectedEntry: "dist/densa.workerd.js",
  async run({ projectRoot, consumerDir, timeoutMs }) {
    const deadline = AbortSignal.timeout(timeoutMs);
    const built = await bundle({
      entry: join(consumerDir, "app/worker.mjs"),
      outfile: join(consumerDir, "worker/worker.js"),
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
    });
    writeFileSync(join(consumerDir, "worker/config.capnp"), config(built.wasmModules));
    // Port 0 (in the config) and --control-fd: workerd picks a free port and reports it on fd 3 once it listens.
    const args = ["serve", "--control-fd=3", "config.capnp"];
    const child = start(join(projectRoot, "node_modules/.bin/workerd"), args, {
      cwd: join(consumerDir, "worker"),
      env: { ...process.env, NO_COLOR: "1" },
      extraFds: 1,
    });
    try {
      const port = await listeningPort(child, deadline);
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: deadline });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
      const report = await response.json();
      return { ...report, entry: built.entries.join(", ") };
    } catch (error) {
      throw deadline.aborted ? new Error(`timed out after ${timeoutMs} ms`) : error;
    } finally {
      stop(child);
    }
  },
};

function config(wasmModules) {
  return workerdConfig(wasmModules.map((name) => ({ name, kind: "wasm" })));
}

/** Resolves with the port workerd reports on its control fd; rejects if it exits or the deadline passes. */
function listeningPort(child, deadline) {
  return new Promise((resolvePort, reject) => {
    let control = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdio[3].on("data", (chunk) => {
      const lines = (control + chunk).split("\n");
      control = lines.pop(); // an unfinished line waits for the next chunk
      for (const line of lines) {
        const message = parseJson(line);
        if (message?.event === "listen" && message.socket === "http") resolvePort(message.port);
      }
    });
    child.on("exit", (code, signal) => reject(new Error(`workerd exited (${code ?? signal}): ${tail(stderr)}`)));
    deadline.addEventListener("abort", () => reject(new Error(`workerd did not listen in time: ${tail(stderr)}`)));
    if (deadline.aborted) reject(new Error("timed out"));
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
