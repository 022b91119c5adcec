// JS heap allocated per training step, measured in a child node (--expose-gc, a young generation big enough
// that no collection runs in the window): fit over arrays, 2,000 steps in the middle of a 3,000-step epoch.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleDensa } from "./bundle-densa.js";

/**
 * The bound, in bytes of JS heap per fit step (batch 32, Dense 32→64→1, Adam, accuracy, verbose 0).
 * Measured on Node 20.20 (V8 11.3), 2026-12-07: 800–880 B/step, the same on the main branch before the
 * BackupAndRestore hooks were added (they store four numbers a step and allocate nothing). That is callback
 * dispatch and the running logs (numbers boxed as heap numbers), not data: the batch itself (32 × 32 floats =
 * 4 KiB) is copied into wasm memory without a JS copy. 1,536 B leaves room for other V8 versions while a
 * regression of the kind that matters — a JS copy of the batch, a typed-array view or closure per step, an
 * async hook in the loop (~1 KB a step) — goes over it.
 */
const MAX_BYTES_PER_STEP = 1536;

const script = fileURLToPath(new URL("./fixtures/allocation-per-step.mjs", import.meta.url));
let folder: string;
let densaModule: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "densa-allocation-"));
  densaModule = await bundleDensa(folder);
}, 60_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("JS heap allocated per training step", () => {
  for (const kind of ["dense", "dropout"]) {
    test(`fit with ${kind === "dense" ? "Dense layers" : "a Dropout layer too"}: under ${MAX_BYTES_PER_STEP} bytes a step`, () => {
      const output = execFileSync(process.execPath, [
        "--expose-gc",
        "--min-semi-space-size=64",
        "--max-semi-space-size=64",
        script,
        densaModule,
        kind,
      ]).toString();
      const { steps, bytesPerStep, gcs } = JSON.parse(output) as { steps: number; bytesPerStep: number; gcs: number };
      console.log(`${kind}: ${bytesPerStep.toFixed(0)} bytes per step over ${steps} steps`);
      expect(gcs, "a garbage collection ran inside the window, so heap growth does not measure allocation").toBe(0);
      expect(bytesPerStep).toBeGreaterThanOrEqual(0);
      expect(bytesPerStep).toBeLessThan(MAX_BYTES_PER_STEP);
    }, 60_000);
  }
});
