// The kernel builds beside the default one (asconfig.json targets "threads", "relaxed", "threads-relaxed"):
// every kernel of index.ts (whose products, in the relaxed builds, run the FMA microkernel: gemm.ts) plus the
// range entry points the thread pool splits tasks with (gemm.ts's gemmRange, kernel-ranges.ts). Loaded only when
// init() asks for threads or relaxed SIMD (ts/engine/threads/); build/densa.wasm stays as it is.
export * from "./index";
export { gemmRange, gemmScratchBytes, useGemmScratch } from "./gemm";
export { activationBackwardRange, adamRange, sgdRange } from "./kernel-ranges";
