// The forward kernels of densa/infer's layers beyond Dense (the layer families of ts/layers/registry.ts), a module
// of their own that densa/infer loads with the first such layer (ts/engine/module-source.infer.ts). It works in
// the memory of infer-core.ts, which it imports (asconfig.json: importMemory).
// NOTE: its static data (reshaping.ts's 32-byte odometer) goes at memoryBase 256, below infer-core's own (which
// starts at its memoryBase, 1024; nothing else uses the memory below); the engine's allocator starts above both.
export { subtractDivideColumns, multiplyElementwise } from "./elementwise";
export { addElementwise, subtractElementwise, scaleElementwise, extremumElementwise, copyBlocks, rowDot, scaleRows, rowL2Normalize } from "./merge";
// Forward kernels of the single-input Keras layers (issue 9).
export { batchNormCoefficients, batchNormForward } from "./batch-normalization";
export { layerNormForward } from "./layer-normalization";
export { embeddingGather } from "./embedding";
export { permuteCopy, repeatRows } from "./reshaping";
export { scaleShift, reluForward, preluForward, expandByIndex } from "./layer-elementwise";
export { unitNormForward } from "./unit-normalization";
