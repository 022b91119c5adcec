// Kernel bindings of the thread / relaxed-SIMD builds: the same names and arguments as the default ones (so no
// layer or optimizer changes), but the products run as gemmBlock over blocks of C, one block a thread, and the
// large elementwise kernels over slices. Every output element is computed by one thread in the order the
// one-thread kernel uses, so results do not depend on the thread count (tests/engine/threads.test.ts):
//   GEMM: blocks of whole 16-column strips or of 4-row bands (gemm-block.ts: a block gives the whole product's bits)
//   activations, optimizers: slices starting at multiples of 4 elements (or 4 rows), so the same elements go
//   through the SIMD lanes and the same tail through the scalar loop.
import type { Kernels } from "../engine.js";
import type { ThreadPool } from "./thread-pool.js";
import { splitRange } from "./split-range.js";
import { planProduct } from "./plan-product.js";

/** The extra exports of assembly/variants.ts. */
export interface VariantKernels extends Kernels {
  gemmBlock(
    m: number, n: number, k: number, a: number, aRowStride: number, aStep: number, packA: number,
    b: number, ldb: number, bByColumns: number, c: number, ldc: number, initMode: number, bias: number, scratch: number,
  ): void;
  gemmBlockScratchBytes(): number;
}

/**
 * Work a thread must get before a kernel is split (bench/threads-threshold.mjs measures the break-even). On the
 * 2-core Zen machine this was written on, shared with other jobs (load average 20–26), the fastest rounds put
 * the cost of a split at ~0.5 µs over one thread (the calling thread ran every part), the medians at 15–80 µs
 * (a worker claimed a part, then waited for the CPU): medians broke even at ~2 M multiply-adds and ~250 k Adam
 * elements, and the whole training step (bench/threads.mjs) still gained 1.4× at batch 32 with these figures,
 * which split the bench model's 262 k-multiply-add products too. On an idle machine a woken worker answers in a
 * few µs, so a share of ~7 µs of kernel time (2¹⁷ multiply-adds at ~40 GFLOP/s) already pays.
 */
export const PARALLEL_MIN_WORK = {
  /** Multiply-adds (m·n·k) a thread. */
  productMacs: 1 << 17,
  /** Elements an optimizer or activation-gradient slice. */
  elements: 1 << 15,
};

export interface ParallelState {
  /** The pool, or undefined for one thread (relaxed SIMD alone). */
  pool: ThreadPool | undefined;
  /** gemmBlock scratch, one buffer a thread (index = thread). */
  scratch: number[];
  /** Relaxed build: products always go through gemmBlock, whose microkernel is the FMA one. */
  relaxed: boolean;
}

const INIT_ZERO = 0;
const INIT_C = 1;
const INIT_BIAS = 2;

/** Bindings to put over `raw`'s: products, activations and optimizer updates that split over the pool. */
export function parallelKernels(raw: VariantKernels, state: ParallelState): Partial<Kernels> {
  const linear = Number(raw.ACTIVATION_LINEAR.valueOf());
  const threadsFor = (work: number, perThread: number): number =>
    Math.max(1, Math.min(state.pool?.size ?? 1, Math.floor(work / perThread)));

  /** C = init + op(A)·op(B) for the three forms; `form` says how A and B are laid out (see gemm-block.ts). */
  function product(
    form: "NN" | "NT" | "TN", m: number, n: number, k: number, a: number, b: number, c: number,
    initMode: number, bias: number, threads: number,
  ): void {
    const plan = planProduct(m, n, threads);
    const rows = plan.blocks.map(([rowRange, columnRange], t) => {
      const [i0, i1] = rowRange, [j0, j1] = columnRange;
      const blockA = form === "TN" ? a + i0 * 4 : a + i0 * k * 4;
      const blockB = form === "NT" ? b + j0 * k * 4 : b + j0 * 4;
      return [
        i1 - i0, j1 - j0, k, blockA,
        form === "TN" ? 4 : k * 4, form === "TN" ? m * 4 : 4, form === "TN" ? 1 : 0,
        blockB, form === "NT" ? k * 4 : n * 4, form === "NT" ? 1 : 0,
        c + (i0 * n + j0) * 4, n * 4, initMode, initMode === INIT_BIAS ? bias + j0 * 4 : 0, state.scratch[t],
      ];
    });
    if (rows.length > 1) state.pool!.run("gemmBlock", rows);
    else raw.gemmBlock(...(rows[0] as Parameters<VariantKernels["gemmBlock"]>));
  }

  const productForm =
    (form: "NN" | "NT" | "TN", serial: Kernels["gemmNN"]) =>
    (m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number): void => {
      const threads = threadsFor(m * n * k, PARALLEL_MIN_WORK.productMacs);
      if (threads === 1 && !state.relaxed) serial(m, n, k, a, b, c, accumulate);
      else if (m > 0 && n > 0) product(form, m, n, k, a, b, c, accumulate ? INIT_C : INIT_ZERO, 0, threads);
    };

  return {
    gemmNN: productForm("NN", raw.gemmNN),
    gemmNT: productForm("NT", raw.gemmNT),
    gemmTN: productForm("TN", raw.gemmTN),

    denseForward(m, n, k, x, w, bias, z, y, activation, alpha) {
      const threads = threadsFor(m * n * k, PARALLEL_MIN_WORK.productMacs);
      if (threads === 1 && !state.relaxed) return raw.denseForward(m, n, k, x, w, bias, z, y, activation, alpha);
      if (m <= 0 || n <= 0) return;
      product("NN", m, n, k, x, w, z, bias ? INIT_BIAS : INIT_ZERO, bias, threads);
      if (activation === linear && y === z) return;
      // NOTE: after the product, not inside it: softmax needs whole rows, and a block may hold only some columns.
      // Small epilogues (a batch of 32 × 128 ReLUs: ~1 µs) cost less here than another round trip to the pool.
      const bands = splitRange(m, threadsFor(m * n, PARALLEL_MIN_WORK.elements), 4);
      const epilogue = bands.map(([i0, i1]) => [activation, i1 - i0, n, z + i0 * n * 4, y + i0 * n * 4, alpha]);
      if (epilogue.length > 1) state.pool!.run("activationForward", epilogue);
      else raw.activationForward(activation, m, n, z, y, alpha);
    },

    activationBackward(kind, rows, cols, z, y, dy, dz, alpha) {
      const threads = threadsFor(rows * cols, PARALLEL_MIN_WORK.elements);
      const bands = threads > 1 ? splitRange(rows, threads, 4) : [];
      if (bands.length < 2) return raw.activationBackward(kind, rows, cols, z, y, dy, dz, alpha);
      const at = (ptr: number, i0: number): number => (ptr ? ptr + i0 * cols * 4 : 0);
      state.pool!.run(
        "activationBackward",
        bands.map(([i0, i1]) => [kind, i1 - i0, cols, at(z, i0), at(y, i0), at(dy, i0), at(dz, i0), alpha]),
      );
    },

    adamUpdate(param, grad, m, v, vhat, count, learningRate, beta1, beta2, epsilon, step, amsgrad, weightDecay) {
      const slices = splitRange(count, threadsFor(count, PARALLEL_MIN_WORK.elements), 4);
      if (slices.length < 2) {
        return raw.adamUpdate(param, grad, m, v, vhat, count, learningRate, beta1, beta2, epsilon, step, amsgrad, weightDecay);
      }
      state.pool!.run(
        "adamUpdate",
        slices.map(([i0, i1]) => {
          const at = (ptr: number): number => (ptr ? ptr + i0 * 4 : 0);
          return [at(param), at(grad), at(m), at(v), at(vhat), i1 - i0, learningRate, beta1, beta2, epsilon, step, amsgrad, weightDecay];
        }),
      );
    },

    sgdUpdate(param, grad, velocity, count, learningRate, momentum, nesterov, weightDecay) {
      const slices = splitRange(count, threadsFor(count, PARALLEL_MIN_WORK.elements), 4);
      if (slices.length < 2) return raw.sgdUpdate(param, grad, velocity, count, learningRate, momentum, nesterov, weightDecay);
      state.pool!.run(
        "sgdUpdate",
        slices.map(([i0, i1]) => {
          const at = (ptr: number): number => (ptr ? ptr + i0 * 4 : 0);
          return [at(param), at(grad), at(velocity), i1 - i0, learningRate, momentum, nesterov, weightDecay];
        }),
      );
    },
  };
}
