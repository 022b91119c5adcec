// The forward kernels only: what densa/infer needs to load a model and predict. asc keeps just what these exports
// reach, so the module carries no backward, loss, optimizer or random kernels. Keep in step with what a forward
// pass calls (ts/layers/*: forward, build).
// NOTE: this whole module is what densa/infer's `workerd` bundle imports (dist/densa-infer.wasm: Workers cannot
// compile the second module from bytes); the other bundles inline it in two parts, infer-core.ts at start and
// infer-layers.ts when a model first needs a layer beyond Dense.
export * from "./infer-core";
export * from "./infer-layers";
