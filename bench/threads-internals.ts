// Entry that bench/threads-threshold.mjs bundles on the fly: the engine internals a threshold measurement needs
// (the public API has no way to force a kernel onto one thread or onto all of them).
export { init } from "../ts/init.js";
export { getEngine } from "../ts/engine/engine.js";
export { PARALLEL_MIN_WORK } from "../ts/engine/threads/parallel-kernels.js";
