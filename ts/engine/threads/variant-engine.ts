// Loads one of the kernel builds beside the default (assembly/variants.ts): "threads" (shared memory, a pool of
// workers), "relaxed" (FMA microkernel, one thread) or both. init() imports this file only when asked for threads
// or relaxed SIMD, and each build's bytes only when that build is chosen, so apps that never ask carry neither.
import { Engine } from "../engine.js";
import { bytesFromHex } from "../inline-wasm.js";
import { TASK_NAMES, type TaskName } from "./control-block.js";
import { type ParallelState, parallelKernels, type VariantKernels } from "./parallel-kernels.js";
import { type RangeKernel, ThreadPool } from "./thread-pool.js";

/** Pages the shared builds declare as their minimum (asconfig.json "initialMemory"). */
const SHARED_INITIAL_PAGES = 16;
/**
 * Maxima tried for the shared memory, largest first. NOTE: a shared memory reserves its maximum up front;
 * 4 GiB (the wasm32 limit) is what 64-bit runtimes reserve for any memory anyway, and smaller reserves are the
 * fallback where address space is short (32-bit browsers).
 */
const SHARED_MAXIMUM_PAGES = [65536, 16384, 4096];

export interface KernelVariant {
  readonly engine: Engine;
  /** Shared memory and a pool: the thread count can change without reloading. */
  readonly shared: boolean;
  readonly relaxed: boolean;
  /** Threads now running tasks, the calling thread included. */
  readonly threads: number;
  /** Why the last setThreads got fewer threads than asked (workers that could not start), or undefined. */
  readonly startFailure: string | undefined;
  /** Allocations the variant holds itself (the workers' GEMM packing buffers), not a model's. */
  readonly ownBlocks: number;
  /** Parts of split kernels the pool's workers ran since the pool started (0 without a pool). */
  readonly workerParts: number;
  /** Split tasks run, waits for workers and backoffs of the pool (thread-pool.ts), or undefined without a pool. */
  readonly poolStats: ThreadPool["stats"] | undefined;
  /** The pool itself, or undefined without one (bench/threads-profile.mjs times its tasks). */
  readonly pool: ThreadPool | undefined;
  /** Restarts the pool with `threads` threads (shared builds only). */
  setThreads(threads: number): Promise<void>;
  /** Stops the pool's workers. */
  close(): void;
}

export async function loadVariant(threads: number, relaxed: boolean): Promise<KernelVariant> {
  const shared = threads > 1;
  const bytes = bytesFromHex(await variantHex(shared, relaxed));
  const module = await WebAssembly.compile(bytes);
  const memory = shared ? sharedMemory() : undefined;
  const instance = await WebAssembly.instantiate(module, memory ? { env: { memory } } : {});
  const raw = instance.exports as unknown as VariantKernels;
  const kernels = { ...raw } as VariantKernels;
  const engine = new Engine(kernels, memory ?? (raw as unknown as { memory: WebAssembly.Memory }).memory);
  const state: ParallelState = { pool: undefined };
  // NOTE: only the shared builds split kernels; the relaxed one-thread build runs its own kernels as they are.
  if (shared) Object.assign(kernels, parallelKernels(raw, state));
  const taskKernels = Object.fromEntries(TASK_NAMES.map((name) => [name, raw[name]])) as Record<TaskName, RangeKernel>;
  /** GEMM packing buffers of the pool threads, by thread index (thread 0, the calling one, uses the static ones). */
  const scratch: number[] = [0];

  const variant = {
    engine,
    shared,
    relaxed,
    threads: 1,
    ownBlocks: 0,
    startFailure: undefined as string | undefined,
    async setThreads(count: number): Promise<void> {
      if (!shared && count > 1) throw new Error("setThreads: this kernel build has no shared memory");
      state.pool?.close();
      state.pool = undefined;
      while (scratch.length < count) scratch.push(engine.alloc(raw.gemmScratchBytes()));
      while (scratch.length > Math.max(count, 1)) engine.free(scratch.pop()!);
      variant.ownBlocks = scratch.length - 1;
      variant.threads = 1;
      variant.startFailure = undefined;
      try {
        if (count > 1) state.pool = await ThreadPool.start(count, bytes, memory!, taskKernels, scratch);
      } catch (error) {
        // NOTE: e.g. a Content-Security-Policy without worker-src blob:; run on the calling thread and say why.
        variant.startFailure = error instanceof Error ? error.message : String(error);
      }
      variant.threads = state.pool?.size ?? 1;
    },
    get workerParts(): number {
      return state.pool?.workerParts ?? 0;
    },
    get poolStats() {
      return state.pool?.stats;
    },
    get pool() {
      return state.pool;
    },
    close(): void {
      state.pool?.close();
      state.pool = undefined;
      variant.threads = 1;
    },
  };
  await variant.setThreads(threads);
  return variant;
}

function sharedMemory(): WebAssembly.Memory {
  let failure: unknown;
  for (const maximum of SHARED_MAXIMUM_PAGES) {
    try {
      return new WebAssembly.Memory({ initial: SHARED_INITIAL_PAGES, maximum, shared: true });
    } catch (error) {
      failure = error;
    }
  }
  throw new Error("init: could not reserve shared WebAssembly memory for threads", { cause: failure });
}

/** Each build in its own import, so a bundler splits each into a chunk fetched only when chosen. */
async function variantHex(shared: boolean, relaxed: boolean): Promise<string> {
  if (shared && relaxed) return (await import("../../../build/densa-threads-relaxed-wasm-inline.js")).wasmHex;
  if (shared) return (await import("../../../build/densa-threads-wasm-inline.js")).wasmHex;
  return (await import("../../../build/densa-relaxed-wasm-inline.js")).wasmHex;
}
