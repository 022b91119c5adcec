// Builds the library (`npm run build`) when dist/ is missing or older than its sources, so `npm run demo`
// works on a fresh clone. Node-only, like the other example helpers; not part of the library.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const BUNDLE = "dist/densa.js";
/** Everything `npm run build` reads. */
const SOURCES = ["assembly", "ts", "scripts/embed-wasm.mjs", "asconfig.json", "rollup.config.mjs", "package.json"];

/** Newest modification time (ms) under `path`, a file or a folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(`${path}/${name}`)));
}

/** DENSA_SKIP_BUILD=1 turns the check off (the example tests run on whatever dist/ `npm test` built). */
export function ensureBuilt() {
  if (process.env.DENSA_SKIP_BUILD === "1") return;
  const bundle = root + BUNDLE;
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const changed = Math.max(...SOURCES.map((path) => newest(root + path)));
  if (built >= changed) return;
  console.log(
    built === 0
      ? "Building densa first (npm run build, about half a minute)…"
      : "Sources changed since the last build; rebuilding densa (npm run build)…",
  );
  // Under `npm run`, npm_execpath is npm's own script: run it with this Node, which works on every platform.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, "run", "build"]] : ["npm", ["run", "build"]];
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: !npm && process.platform === "win32" });
  if (result.status !== 0) {
    console.error(`npm run build failed (exit code ${result.status ?? result.signal}); see the errors above.`);
    process.exit(1);
  }
  console.log("Built dist/.\n");
}
