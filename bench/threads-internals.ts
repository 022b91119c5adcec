// Entry that bench/threads-threshold.mjs and bench/threads.mjs bundle on the fly: the public API plus the engine
// internals a measurement needs (the kernel bindings, and the thresholds, which the public API cannot force).

export { getEngine } from "../ts/engine/engine.js";
export { PARALLEL_MIN_WORK } from "../ts/engine/threads/parallel-kernels.js";
export { POOL_BACKOFF_MS } from "../ts/engine/threads/thread-pool.js";
export * from "../ts/index.js";
export { currentKernelVariant } from "../ts/init.js";
