// What this runtime allows, decided before any thread code is loaded (this file is in every bundle; the
// rest of ts/engine/threads/ is loaded by init() only when threads or relaxed SIMD are asked for).

/** Cores of the machine: navigator.hardwareConcurrency (browsers, Deno, Bun, Node ≥ 21), else os.availableParallelism. */
export async function machineCores(): Promise<number> {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (Number.isInteger(fromNavigator) && fromNavigator! > 0) return fromNavigator!;
  try {
    const os = (await import("node:os" as string)) as { availableParallelism?: () => number; cpus?: () => unknown[] };
    const cores = os.availableParallelism?.() ?? os.cpus?.().length ?? 1;
    return Math.max(1, cores);
  } catch {
    return 1;
  }
}

/**
 * Why more than one thread cannot run here, or undefined when it can: threads need SharedArrayBuffer, shared
 * WebAssembly memory, Atomics and a way to start a worker (Web Workers, or Node's worker_threads); a browser
 * page also needs cross-origin isolation (COOP/COEP headers), without which SharedArrayBuffer is hidden.
 */
export function threadsUnavailableReason(): string | undefined {
  const scope = globalThis as {
    crossOriginIsolated?: boolean;
    Worker?: unknown;
    process?: { versions?: { node?: string } };
  };
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") {
    return scope.crossOriginIsolated === false
      ? "the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)"
      : "this runtime has no SharedArrayBuffer";
  }
  if (scope.crossOriginIsolated === false) return "the page is not cross-origin isolated";
  if (typeof scope.Worker !== "function" && !scope.process?.versions?.node) return "this runtime cannot start workers";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return "this runtime has no shared WebAssembly memory";
  }
  return undefined;
}

/**
 * Whether the runtime validates relaxed SIMD: a module of one function, (v128, v128, v128) → v128 =
 * f32x4.relaxed_madd (opcode 0xfd 0x85 0x02). Node 20 needs --experimental-wasm-relaxed-simd; Node ≥ 22, Deno,
 * Bun and Chromium have it on.
 */
export function relaxedSimdSupported(): boolean {
  const probe = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // magic, version
    0x01,
    0x08,
    0x01,
    0x60,
    0x03,
    0x7b,
    0x7b,
    0x7b,
    0x01,
    0x7b, // type: (v128 v128 v128) → v128
    0x03,
    0x02,
    0x01,
    0x00, // one function of that type
    0x0a,
    0x0d,
    0x01,
    0x0b,
    0x00, // code: one body of 11 bytes, no locals
    0x20,
    0x00,
    0x20,
    0x01,
    0x20,
    0x02,
    0xfd,
    0x85,
    0x02,
    0x0b, // local.get 0 1 2, f32x4.relaxed_madd, end
  ]);
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}
