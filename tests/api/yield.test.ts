import { describe, expect, it } from "vitest";
import { createYielder, yieldToEventLoop } from "../../ts/utils/yield.js";

describe("createYielder", () => {
  it("yields only once the interval has passed since the last yield", async () => {
    let now = 0;
    const scheduled: (() => void)[] = [];
    const yielder = createYielder({ now: () => now, schedule: (resume) => scheduled.push(resume) });
    now = 15;
    expect(yielder.maybeYield()).toBeUndefined();
    now = 16;
    const pause = yielder.maybeYield();
    expect(pause).toBeInstanceOf(Promise);
    expect(scheduled).toHaveLength(1);
    now = 20; // time spent away counts from when we resume
    scheduled[0]();
    await pause;
    now = 35;
    expect(yielder.maybeYield()).toBeUndefined();
    now = 36;
    expect(yielder.maybeYield()).toBeInstanceOf(Promise);
  });

  it("gives the event loop a macrotask turn by default", async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    // a loop that only awaited microtasks would starve the timer; yielding lets it run
    const yielder = createYielder({ intervalMs: 0 });
    const deadline = Date.now() + 1000;
    while (!timerRan && Date.now() < deadline) {
      const pause = yielder.maybeYield();
      if (pause) await pause;
    }
    expect(timerRan).toBe(true);
    await yieldToEventLoop();
  });
});
