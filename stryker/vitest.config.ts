// The vitest run StrykerJS uses for `npm run test:mutation`: only the fast unit tests that exercise the folders
// it mutates (optimizers, losses, metrics, initializers, regularizers, callbacks). Kernel specs, runtime,
// example, browser and wall-clock tests stay out: they test assembly/ or cost seconds per mutant.
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
      "tests/api/fit-loop-contract.test.ts",
      "tests/api/fit-options.test.ts",
      "tests/api/lr-callbacks.test.ts",
      "tests/api/progress-bar.test.ts",
      "tests/api/schedules.test.ts",
      "tests/config/*.test.ts",
      "tests/gradients/losses.test.ts",
      "tests/gradients/regularizers.test.ts",
      "tests/parity/losses.test.ts",
      "tests/parity/metrics.test.ts",
      "tests/parity/optimizers.test.ts",
      "tests/io/roundtrip.test.ts",
      "tests/io/training-config.test.ts",
      "tests/io/keras-configs.test.ts",
      "tests/model/bad-input.test.ts",
      "tests/model/fit-loop.test.ts",
      "tests/model/fit-validation.test.ts",
      "tests/model/sample-weights.test.ts",
      "tests/regressions/*.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
