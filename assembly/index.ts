// Every kernel the engine binds; one concept a file.
export * from "./memory";
export { scalarExp, scalarLog, scalarPow, scalarCos, scalarSqrt, mathMap, MATH_EXP, MATH_EXPM1, MATH_LOG, MATH_LOG1P, MATH_SIGMOID, MATH_TANH, MATH_SOFTPLUS, MATH_NORMAL_CDF } from "./math";
export * from "./activations";
// NOTE: not the range entry points of gemm.ts: only the thread builds need them (variants.ts).
export { gemmNN, gemmNT, gemmTN, denseForward } from "./gemm";
export * from "./losses";
export * from "./reductions";
export * from "./optimizers";
export * from "./random";
export * from "./elementwise";
export * from "./merge";
// The single-input Keras layers beyond Dense (issue 9): normalization, embedding, reshaping, noise, activations.
export * from "./batch-normalization";
export * from "./layer-normalization";
export * from "./embedding";
export * from "./reshaping";
export * from "./layer-elementwise";
export * from "./unit-normalization";
export * from "./random-alpha-dropout";
