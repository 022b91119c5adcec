// Runtimes without FinalizationRegistry (Cloudflare Workers at older compatibility dates) must still load the
// library and train; only the safety net for undisposed models is missing there.
import { afterEach, describe, expect, it, vi } from "vitest";

describe("without FinalizationRegistry", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("loads the models module and builds, trains, predicts and disposes a model", async () => {
    vi.stubGlobal("FinalizationRegistry", undefined);
    vi.resetModules();
    const { init, Sequential, layers, setRandomSeed } = await import("../../ts/index.js");
    await init();
    // NOTE: fresh modules have a fresh process-wide generator, which the shared test setup did not seed.
    setRandomSeed(1);
    const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: "sgd", loss: "mse" });
    await model.fit(
      [
        [1, 2],
        [3, 4],
      ],
      [1, 2],
      { epochs: 2, verbose: 0 },
    );
    expect(model.predict([[1, 2]]).shape).toEqual([1, 1]);
    model.dispose();
  });
});
