// The kernel builds beside the default one (asconfig.json targets "threads", "relaxed", "threads-relaxed"):
// every kernel of index.ts plus gemmBlock, the product over a block of C with caller-given scratch, which the
// thread pool splits over threads and the relaxed builds run with their FMA microkernel. Loaded only when
// init() asks for threads or relaxed SIMD (ts/engine/threads/); build/densa.wasm stays as it is.
export * from "./index";
export { gemmBlock, gemmBlockScratchBytes } from "./gemm-block";
