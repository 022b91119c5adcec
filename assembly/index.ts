// Every kernel the engine binds; one concept a file.
export * from "./memory";
export * from "./math";
export * from "./activations";
export * from "./gemm";
export * from "./losses";
export * from "./reductions";
export * from "./optimizers";
export * from "./random";
export * from "./elementwise";
