// Cloudflare Workers: no workers to start and no WebAssembly compiled from bytes, so one thread and the default
// kernels; init({ threads, relaxedSimd }) says so through `threads` / `relaxedSimd` instead of failing.
import type { LoadVariant } from "./variant-source.js";

export const importVariants: (() => Promise<{ loadVariant: LoadVariant }>) | undefined = undefined;
export const variantsUnavailable: string | undefined =
  "Cloudflare Workers cannot start threads or compile WebAssembly from bytes";
