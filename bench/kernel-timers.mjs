// Timers around the kernel bindings of an engine, for bench/threads-profile.mjs: per call site (a kernel and its
// shapes) the total and every call's wall time, and with a thread pool the calling thread's and the pool threads'
// share of each split call (from the pool's task profile, ThreadPool.profiling).

const LABELS = {
  denseForward: (a) => `denseForward ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmTN: (a) => `gemmTN dW ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmNT: (a) => `gemmNT dX ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmNN: (a) => `gemmNN ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  activationBackward: (a) => `activationBackward ${a[1]}×${a[2]}`,
  columnSums: (a) => `columnSums ${a[0]}×${a[1]}`,
  adamUpdate: (a) => `adamUpdate ${a[5]}`,
};

/**
 * Puts timers around every kernel binding of the engine (a wrapped copy); returns the totals (µs) and an unwrap.
 * With a pool, also per call site: the calling thread's time on its own parts and waiting for the pool's, and
 * the pool threads' time on parts and their lag (hand-off to seeing the task), from the pool's profile.
 */
export function wrapKernels(engine, pool) {
  const totals = new Map();
  const calls = new Map();
  const split = new Map();
  /** Per call site, the wall times (µs) of split calls in which a pool thread ran parts within 10 µs of the hand-off. */
  const onCores = new Map();
  const original = engine.kernels;
  const kernels = { ...original };
  const snapshot = () => {
    const threads = pool.profile();
    const workers = threads.slice(1);
    const sum = (pick) => workers.reduce((total, thread) => total + pick(thread), 0);
    return {
      tasks: pool.stats.tasks,
      own: threads[0].busyMs,
      waited: pool.stats.waitedMs,
      workerBusy: sum((thread) => thread.busyMs),
      workerLag: sum((thread) => thread.lagMs),
      workerSeen: sum((thread) => thread.seen),
      workerWorked: sum((thread) => thread.worked),
    };
  };
  for (const [name, value] of Object.entries(original)) {
    if (typeof value !== "function") continue;
    kernels[name] = (...args) => {
      const before = pool ? snapshot() : undefined;
      const start = performance.now();
      const result = value(...args);
      const elapsed = (performance.now() - start) * 1000;
      const label = LABELS[name]?.(args) ?? name;
      totals.set(label, (totals.get(label) ?? 0) + elapsed);
      if (!calls.has(label)) calls.set(label, []);
      calls.get(label).push(elapsed);
      if (before) {
        const after = snapshot();
        const entry = split.get(label) ?? {};
        for (const key of Object.keys(after)) entry[key] = (entry[key] ?? 0) + (after[key] - before[key]);
        split.set(label, entry);
        const seen = after.workerSeen - before.workerSeen;
        const lagMs = seen ? (after.workerLag - before.workerLag) / seen : Number.POSITIVE_INFINITY;
        if (after.workerWorked > before.workerWorked && lagMs <= 0.01) {
          if (!onCores.has(label)) onCores.set(label, []);
          onCores.get(label).push(elapsed);
        }
      }
      return result;
    };
  }
  engine.kernels = kernels;
  return { totals, calls, split, onCores, unwrap: () => (engine.kernels = original) };
}
