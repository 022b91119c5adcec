// Vitest setup (vitest.config.ts setupFiles): every test starts from the same state of densa's process-wide
// generator, which draws unseeded initial weights, dropout masks and fit's shuffle seed. Without it that
// generator starts from crypto entropy, so a test that builds a model without seeding it would train from
// different weights on every run. Tests that care about the seed still set their own (setRandomSeed, fit's
// `seed`, an initializer's `seed`); this only makes the rest mean the same every run, in any order or filter.
import { beforeAll, beforeEach } from "vitest";
import { init } from "../../ts/engine/engine.js";
import { setRandomSeed } from "../../ts/engine/random.js";

export const TEST_SEED = 20_261_206;

beforeAll(async () => {
  await init();
  // NOTE: the first call allocates the generator's state, so it happens here, before any test measures memory.
  setRandomSeed(TEST_SEED);
});

beforeEach(() => {
  setRandomSeed(TEST_SEED);
});
