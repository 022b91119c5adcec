// StrykerJS (mutation testing) for `npm run test:mutation`; see README.md ("Mutation testing") and, for the
// surviving mutants judged equivalent, stryker/EQUIVALENT.md. Run one folder with
//   npx stryker run stryker/stryker.config.mjs --mutate 'ts/losses/**/*.ts'
// NOTE: StrykerJS 9 (its 10 needs Node 22); the wasm kernels come from build/ (`npm run build` first).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "stryker/vitest.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "ts/optimizers/**/*.ts",
    "ts/losses/**/*.ts",
    "ts/metrics/**/*.ts",
    "ts/initializers/**/*.ts",
    "ts/regularizers/**/*.ts",
    "ts/callbacks/**/*.ts",
    // Re-export lists only: nothing to mutate that a test could see as behaviour.
    "!ts/**/public.ts",
    "!ts/**/*-public.ts",
  ],
  coverageAnalysis: "perTest",
  // NOTE: static mutants (module-level tables: alias maps, factory lists, option names) each need a full reload
  // and every test, about 95 % of the run time here; they are left out of the score (see README.md).
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  // Two cores shared with other work: two test processes; generous timeouts for a loaded machine.
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2.5,
  dryRunTimeoutMinutes: 15,
  ignorePatterns: [
    "/dist",
    "/out",
    "/bench",
    "/docs",
    "/tests/artifacts",
    "/.vitest",
    "/assembly",
    "/examples/web",
    "/.stryker-tmp*",
  ],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Only the mutated sources need their type checks off (assembly/ is AssemblyScript, not for Babel).
  disableTypeChecks: "ts/**/*.ts",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 90, low: 80, break: null },
};
