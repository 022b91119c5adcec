// The yielder's contract, with a fake clock and an observable macrotask instead of the wall clock: it yields
// once `intervalMs` has passed since the last resume, and a yield is a real macrotask turn (a setImmediate
// queued before it has run when it resumes), not a microtask.
import { afterEach, describe, expect, it } from "vitest";
import { createYielder, setYieldClock, yieldToEventLoop } from "../../ts/utils/yield.js";

afterEach(() => setYieldClock(null));

/** A flag that a setImmediate queued now sets: true once the event loop has had a macrotask turn. */
function macrotaskMarker(): { ran: boolean } {
  const marker = { ran: false };
  setImmediate(() => (marker.ran = true));
  return marker;
}

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

  it("gives the event loop a macrotask turn by default (a microtask would not)", async () => {
    const marker = macrotaskMarker();
    await Promise.resolve();
    expect(marker.ran, "a microtask does not let the immediate run").toBe(false);
    const pause = createYielder({ intervalMs: 0, now: () => 0 }).maybeYield();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    expect(marker.ran).toBe(true);
    const second = macrotaskMarker();
    await yieldToEventLoop();
    expect(second.ran).toBe(true);
  });

  it("reads the clock set by setYieldClock when given none, and the default again after null", async () => {
    let now = 1000;
    setYieldClock(() => now);
    const yielder = createYielder();
    now = 1015;
    expect(yielder.maybeYield()).toBeUndefined();
    now = 1016;
    const pause = yielder.maybeYield();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    setYieldClock(null);
    // NOTE: with the default clock again, a yielder made now starts from performance.now(): no yield at once.
    expect(createYielder({ intervalMs: 1e9 }).maybeYield()).toBeUndefined();
  });
});
