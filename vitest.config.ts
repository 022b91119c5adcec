import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Seeds densa's process-wide generator before every test (see the file).
    setupFiles: ["tests/helpers/seed-every-test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
