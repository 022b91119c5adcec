// The vitest run StrykerJS uses for `npm run test:mutation`: only the fast unit tests that exercise the folders
// it mutates (optimizers, losses, metrics, initializers, regularizers, callbacks), against scalar references and
// closed forms. Stryker re-runs the covering test files for every mutant, so files that load @tensorflow/tfjs
// (parity, io) or train whole models stay out, as do kernel specs, runtime, example, browser and wall-clock tests.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // NOTE: the repository root, also inside Stryker's sandbox copy (this file sits one level below it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: [
      "tests/optimizers/**/*.test.ts",
      "tests/losses/**/*.test.ts",
      "tests/metrics/**/*.test.ts",
      "tests/initializers/**/*.test.ts",
      "tests/regularizers/**/*.test.ts",
      "tests/callbacks/**/*.test.ts",
      "tests/api/callbacks.test.ts",
      "tests/api/csv-logger.test.ts",
      "tests/api/early-stopping.test.ts",
      "tests/api/lr-callbacks.test.ts",
      "tests/api/progress-bar.test.ts",
      "tests/api/schedules.test.ts",
      "tests/config/*.test.ts",
      "tests/gradients/losses.test.ts",
      "tests/gradients/regularizers.test.ts",
      "tests/model/sample-weights.test.ts",
    ],
    // NOTE: one module graph per worker, not one per test file: each mutant run then loads the sources and the
    // wasm module once instead of once per file (the tests here do not depend on fresh module state).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
