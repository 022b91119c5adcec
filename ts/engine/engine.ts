import type { instantiate } from "../../build/densa.js";
import { Allocator } from "./allocator.js";
import { compileKernels } from "./module-source.js";

/** Every export of build/densa.wasm, typed from the declarations asc writes next to it. */
export type Kernels = Awaited<ReturnType<typeof instantiate>>;

/**
 * The loaded kernels and the memory they work in. One per process (or worker), shared by every model.
 * Views are re-created after memory grows, because growing detaches the old ArrayBuffer.
 */
export class Engine {
  readonly allocator: Allocator;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;

  constructor(
    readonly kernels: Kernels,
    readonly memory: WebAssembly.Memory,
  ) {
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
    this.allocator = new Allocator(memory, kernels.heapBase() >>> 0, () => this.refreshViews());
  }

  /** Float32 view of all of linear memory; index = byteOffset / 4. Do not keep it across allocations. */
  get f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.refreshViews();
    return this.f32View;
  }

  get i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.refreshViews();
    return this.i32View;
  }

  get u8(): Uint8Array {
    if (this.u8View.buffer !== this.memory.buffer) this.refreshViews();
    return this.u8View;
  }

  alloc(bytes: number): number {
    return this.allocator.alloc(bytes);
  }

  /** Allocates room for `count` float32 values. */
  allocF32(count: number): number {
    return this.allocator.alloc(count * 4);
  }

  free(ptr: number): void {
    this.allocator.free(ptr);
  }

  /** Copies `values` into memory at `ptr`. */
  write(ptr: number, values: ArrayLike<number>): void {
    this.f32.set(values, ptr >>> 2);
  }

  /** A fresh JS copy of `count` float32 values at `ptr`. */
  read(ptr: number, count: number): Float32Array {
    return this.f32.slice(ptr >>> 2, (ptr >>> 2) + count);
  }

  /** A view of `count` float32 values at `ptr`; invalid after the next allocation. */
  view(ptr: number, count: number): Float32Array {
    return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + count);
  }

  private refreshViews(): void {
    this.f32View = new Float32Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
    this.u8View = new Uint8Array(this.memory.buffer);
  }
}

let engine: Engine | undefined;
let loading: Promise<Engine> | undefined;

/** Loads the WebAssembly kernels once; later calls return the same promise. */
export function init(): Promise<void> {
  loading ??= load().then(
    (loaded) => (engine = loaded),
    (error: unknown) => {
      loading = undefined; // let a later init() try again
      throw error;
    },
  );
  return loading.then(() => undefined);
}

/**
 * Puts `next` in place of the loaded engine: init({ threads, relaxedSimd }) switching kernel builds (ts/init.ts).
 * Later init() calls resolve to it.
 */
export function installEngine(next: Engine): void {
  engine = next;
  loading = Promise.resolve(next);
}

/** The loaded engine, or undefined before init(). */
export function loadedEngine(): Engine | undefined {
  return engine;
}

/** A new engine on the default kernel build (one thread, no imports). */
export async function load(): Promise<Engine> {
  const module = await compileKernels();
  const instance = await WebAssembly.instantiate(module, {});
  const exports = instance.exports as unknown as Kernels;
  return new Engine(exports, exports.memory);
}

/** The loaded engine; throws a clear error when init() has not resolved yet. */
export function getEngine(): Engine {
  if (!engine) throw new Error("densa: the WebAssembly kernels are not loaded; call `await init()` first");
  return engine;
}

export function isReady(): boolean {
  return engine !== undefined;
}
