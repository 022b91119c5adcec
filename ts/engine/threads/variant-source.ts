// How init() reaches the thread pool and the other kernel builds: one dynamic import, so bundlers put them in a
// chunk of their own. The `workerd` bundles swap this file for variant-source.workerd.ts (rollup.config.mjs).
import type { KernelVariant } from "./variant-engine.js";

export type LoadVariant = (threads: number, relaxed: boolean) => Promise<KernelVariant>;

/** Loads the variant module, or undefined with `variantsUnavailable` saying why. */
export const importVariants: (() => Promise<{ loadVariant: LoadVariant }>) | undefined = () =>
  import("./variant-engine.js");
export const variantsUnavailable: string | undefined = undefined;
