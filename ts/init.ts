import { getEngine, installEngine, load, init as loadEngine, loadedEngine } from "./engine/engine.js";
import { globalGeneratorBlocks, restoreGlobalGeneratorState, takeGlobalGeneratorState } from "./engine/random.js";
import { machineCores, relaxedSimdSupported, threadsUnavailableReason } from "./engine/threads/capabilities.js";
import { MAX_THREADS } from "./engine/threads/control-block.js";
import type { KernelVariant } from "./engine/threads/variant-engine.js";
import { importVariants, variantsUnavailable } from "./engine/threads/variant-source.js";
import { describeValue } from "./utils/describe.js";
import { checkOptionKeys } from "./utils/options.js";
import { setScalarMath } from "./utils/scalar-math.js";

export interface InitOptions {
  /**
   * Threads the kernels run on, the calling thread included (default 1); "auto" = the machine's cores. Where a
   * runtime cannot run more (no SharedArrayBuffer, a page without cross-origin isolation, Cloudflare Workers)
   * densa runs one and says so in `threads` and in the `note` init resolves to. Unset: keep the current count.
   */
  threads?: number | "auto";
  /**
   * Use the relaxed-SIMD kernels (one fused multiply-add per product) where the runtime validates them; results
   * then differ from the default kernels by rounding (≤ 1e-5 relative). Unset: keep the current choice.
   */
  relaxedSimd?: boolean;
}

export interface InitInfo {
  /** Threads the kernels now run on. */
  threads: number;
  /** Whether the relaxed-SIMD kernels are in use. */
  relaxedSimd: boolean;
  /** Why fewer threads or no relaxed SIMD were given than asked for; undefined when all was given. */
  note?: string;
}

/** Threads the kernels run on (1 until `init({ threads })` gives more; stays 1 where a runtime cannot have more). */
export let threads = 1;
/** Whether `init({ relaxedSimd: true })` put the relaxed-SIMD (FMA) kernels in place. */
export let relaxedSimd = false;

let variant: KernelVariant | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** The threaded or relaxed kernel build in use, or undefined on the default one (tests and benchmarks; not public). */
export function currentKernelVariant(): KernelVariant | undefined {
  return variant;
}

/**
 * Loads the WebAssembly kernels; idempotent. Everything else in densa needs it to have resolved.
 * `init({ threads, relaxedSimd })` may be called again to change the thread count; switching between the default,
 * threaded and relaxed kernel builds needs every model disposed (their memory lives in the build that made them).
 */
export function init(options: InitOptions = {}): Promise<InitInfo> {
  checkOptionKeys("init", options, ["threads", "relaxedSimd"]);
  const asked = options.threads;
  if (asked !== undefined && asked !== "auto" && !(Number.isInteger(asked) && asked >= 1)) {
    throw new Error(`init: threads must be a positive integer or "auto", got ${describeValue(asked)}`);
  }
  if (options.relaxedSimd !== undefined && typeof options.relaxedSimd !== "boolean") {
    throw new Error(`init: relaxedSimd must be true or false, got ${describeValue(options.relaxedSimd)}`);
  }
  // NOTE: one configuration at a time, so that two init calls in flight cannot each start a pool.
  const run = queue.then(() => configure(options));
  queue = run.catch(() => undefined);
  return run;
}

async function configure(options: InitOptions): Promise<InitInfo> {
  const notes: string[] = [];
  const asked =
    options.threads === undefined ? threads : options.threads === "auto" ? await machineCores() : options.threads;
  let count = Math.min(asked, MAX_THREADS);
  if (count > 1) {
    const reason = variantsUnavailable ?? threadsUnavailableReason();
    if (reason) {
      notes.push(`one thread: ${reason}`);
      count = 1;
    }
  }
  let relaxed = options.relaxedSimd ?? relaxedSimd;
  if (relaxed && (variantsUnavailable || !relaxedSimdSupported())) {
    notes.push(`no relaxed SIMD: ${variantsUnavailable ?? "this runtime does not validate relaxed-SIMD WebAssembly"}`);
    relaxed = false;
  }

  if (variant && variant.relaxed === relaxed && (variant.shared || count === 1)) {
    if (variant.shared) await variant.setThreads(count); // same build: only the pool changes
  } else if (variant || count > 1 || relaxed) {
    // Another kernel build: models' memory would stay behind in the old one, so there must be none.
    const current = loadedEngine();
    const modelBlocks = current
      ? current.allocator.liveBlocks - (variant?.ownBlocks ?? 0) - globalGeneratorBlocks()
      : 0;
    if (modelBlocks > 0) {
      throw new Error(
        `init: cannot switch to ${count > 1 ? `${count} threads` : "one thread"}${relaxed ? " with relaxed SIMD" : ""} ` +
          `while models hold memory in the current kernels (${modelBlocks} blocks); call init({ threads, relaxedSimd }) ` +
          "before building models, or dispose() them first",
      );
    }
    const next =
      count > 1 || relaxed ? await importVariants!().then((module) => module.loadVariant(count, relaxed)) : undefined;
    const fresh = next ? next.engine : await load();
    const randomState = current ? takeGlobalGeneratorState() : undefined;
    variant?.close();
    variant = next;
    installEngine(fresh);
    restoreGlobalGeneratorState(randomState);
  } else {
    await loadEngine();
  }
  threads = variant?.threads ?? 1;
  relaxedSimd = variant?.relaxed ?? false;
  if (threads < count) notes.push(`one thread: ${variant?.startFailure ?? "the workers did not start"}`);
  // NOTE: schedules take pow / cos / exp from the kernels, so learning rates have the same bits in every runtime.
  const { scalarPow, scalarCos, scalarExp } = getEngine().kernels;
  setScalarMath({ pow: scalarPow, cos: scalarCos, exp: scalarExp });
  return { threads, relaxedSimd, ...(notes.length ? { note: notes.join("; ") } : {}) };
}
