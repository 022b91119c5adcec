/**
 * Cooperative yielding for long loops (fit / evaluate): hand control back to the event loop at most every
 * ~16 ms (one frame), so a page keeps painting and a server keeps answering, without paying a task hop per
 * batch when batches take microseconds.
 */

export interface YielderOptions {
  /** Minimum time between yields, in ms. Default 16. */
  intervalMs?: number;
  /** Clock in ms; default performance.now (Date.now where that is missing). */
  now?: () => number;
  /** Runs `resume` in a later task; default setImmediate, else MessageChannel, else setTimeout(0). */
  schedule?: (resume: () => void) => void;
}

export interface Yielder {
  /**
   * Returns a promise to await when the interval has passed since the last yield, otherwise undefined — so the
   * hot loop does `const pause = yielder.maybeYield(); if (pause) await pause;` and allocates nothing between.
   */
  maybeYield(): Promise<void> | undefined;
}

let clockOverride: (() => number) | null = null;

/**
 * Sets the clock that yielders created afterwards read when they are given none (fit's yielder); null restores
 * performance.now. NOTE: for tests, which drive fit's yielding with a fake clock instead of the wall clock.
 */
export function setYieldClock(now: (() => number) | null): void {
  clockOverride = now;
}

export function createYielder(options: YielderOptions = {}): Yielder {
  const intervalMs = options.intervalMs ?? 16;
  const now = options.now ?? clockOverride ?? defaultClock();
  const schedule = options.schedule ?? defaultScheduler();
  let last = now();
  const resumeAfter = (resolve: () => void) =>
    schedule(() => {
      last = now();
      resolve();
    });
  return {
    maybeYield(): Promise<void> | undefined {
      if (now() - last < intervalMs) return undefined;
      return new Promise<void>(resumeAfter);
    },
  };
}

/** Yields once to the event loop (a macrotask, not a microtask, so rendering and I/O get their turn). */
export function yieldToEventLoop(): Promise<void> {
  const schedule = defaultScheduler();
  return new Promise<void>((resolve) => schedule(resolve));
}

function defaultClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf && typeof perf.now === "function" ? () => perf.now() : () => Date.now();
}

type Schedule = (resume: () => void) => void;

function defaultScheduler(): Schedule {
  const g = globalThis as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
  };
  // Node and Bun: setImmediate runs after pending I/O without timer clamping.
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return (resume) => void setImmediate(resume);
  }
  // Browsers, Deno, workers: a message task is not clamped to 4 ms the way nested setTimeout(0) is.
  // NOTE: one channel per yield, closed on receipt, so no open port keeps a Deno process alive.
  if (typeof g.MessageChannel === "function") {
    const Channel = g.MessageChannel;
    return (resume) => {
      const channel = new Channel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resume();
      };
      channel.port2.postMessage(null);
    };
  }
  return (resume) => void setTimeout(resume, 0);
}
