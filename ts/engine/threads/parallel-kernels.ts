// Kernel bindings of the threaded builds: the same names and arguments as the default ones (so no layer or
// optimizer changes), but a kernel large enough to pay for it runs as a task of the pool, cut into parts by a
// plan (plan-product.ts): the forward products with their bias and activation, the three backward products,
// activation gradients and the optimizer updates. Every output element is computed by one thread, with the
// one-thread kernel's code in the one-thread kernel's order (assembly/gemm.ts gemmRange, kernel-ranges.ts), so
// results do not depend on the thread count (tests/engine/threads.test.ts).
import type { Kernels } from "../engine.js";
import { type Plan, type ProductForm, planElements, planProduct, planRows } from "./plan-product.js";
import type { RangeKernel, ThreadPool } from "./thread-pool.js";

/** The extra exports of assembly/variants.ts. */
export interface VariantKernels extends Kernels {
  gemmRange: RangeKernel;
  adamRange: RangeKernel;
  sgdRange: RangeKernel;
  activationBackwardRange: RangeKernel;
  gemmScratchBytes(): number;
  useGemmScratch(scratch: number): void;
}

/**
 * Least work of one part: below it a kernel runs on the calling thread alone, and larger kernels get fewer
 * parts. A part costs a claim and a call (~0.3 µs) on top of the handoff of the task (~1 µs with the workers
 * awake): bench/threads-threshold.mjs measures where a split starts to pay.
 */
export const PARALLEL_MIN_WORK = {
  /**
   * Multiply-adds (m·n·k) a part. NOTE: 2^18, so a product needs 2^19 (~20 µs on one thread) to be split: the
   * bench model's 32×128·128×64 products (2^18, ~11 µs) ran at 0.66–1.15× of one thread when split in 4 parts,
   * measured in training steps where both threads had a core (bench/threads-profile.mjs), as the hand-off and the
   * operands' trip between the cores' caches cost what the second thread saves.
   */
  productMacs: 1 << 18,
  /** Elements a part of an optimizer update or activation gradient. */
  elements: 1 << 13,
};

export interface ParallelState {
  /** The pool, or undefined for one thread (relaxed SIMD alone: no bindings are replaced then). */
  pool: ThreadPool | undefined;
}

const FORM_INDEX: Record<ProductForm, number> = { NN: 0, NT: 1, TN: 2 };
const INIT_ZERO = 0;
const INIT_C = 1;
const INIT_BIAS = 2;

/** Bindings to put over `raw`'s: products, activation gradients and optimizer updates split over the pool. */
export function parallelKernels(raw: VariantKernels, state: ParallelState): Partial<Kernels> {
  const linear = Number(raw.ACTIVATION_LINEAR.valueOf());
  const rowWise = new Set([Number(raw.ACTIVATION_SOFTMAX.valueOf()), Number(raw.ACTIVATION_LOG_SOFTMAX.valueOf())]);
  const threads = (): number => state.pool?.activeThreads ?? 1;
  const run = (task: Parameters<ThreadPool["run"]>[0], plan: Plan, args: number[]): void =>
    state.pool!.run(task, plan.total, plan.span, args);

  const productForm =
    (form: ProductForm, serial: Kernels["gemmNN"]) =>
    (m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number): void => {
      const plan = planProduct(form, m, n, k, threads(), PARALLEL_MIN_WORK.productMacs);
      if (plan.parts < 2) {
        serial(m, n, k, a, b, c, accumulate);
        return;
      }
      run("gemmRange", plan, [
        plan.byRows ? 1 : 0,
        FORM_INDEX[form],
        m,
        n,
        k,
        a,
        b,
        c,
        accumulate ? INIT_C : INIT_ZERO,
        0,
        0,
        0,
        0,
      ]);
    };

  return {
    gemmNN: productForm("NN", raw.gemmNN),
    gemmNT: productForm("NT", raw.gemmNT),
    gemmTN: productForm("TN", raw.gemmTN),

    denseForward(m, n, k, x, w, bias, z, y, activation, alpha) {
      const plan = planProduct("NN", m, n, k, threads(), PARALLEL_MIN_WORK.productMacs, rowWise.has(activation));
      if (plan.parts < 2) return raw.denseForward(m, n, k, x, w, bias, z, y, activation, alpha);
      // The bias and the activation run inside each part, on its block, while the block is in cache.
      const epilogue = activation !== linear || y !== z;
      run("gemmRange", plan, [
        plan.byRows ? 1 : 0,
        FORM_INDEX.NN,
        m,
        n,
        k,
        x,
        w,
        z,
        bias ? INIT_BIAS : INIT_ZERO,
        bias,
        activation,
        epilogue ? y : 0,
        alpha,
      ]);
    },

    activationBackward(kind, rows, cols, z, y, dy, dz, alpha) {
      const plan = planRows(rows, cols, threads(), PARALLEL_MIN_WORK.elements);
      if (plan.parts < 2) return raw.activationBackward(kind, rows, cols, z, y, dy, dz, alpha);
      run("activationBackwardRange", plan, [kind, cols, z, y, dy, dz, alpha]);
    },

    adamUpdate(param, grad, m, v, vhat, count, learningRate, beta1, beta2, epsilon, step, amsgrad, weightDecay) {
      const plan = planElements(count, threads(), PARALLEL_MIN_WORK.elements);
      if (plan.parts < 2) {
        return raw.adamUpdate(
          param,
          grad,
          m,
          v,
          vhat,
          count,
          learningRate,
          beta1,
          beta2,
          epsilon,
          step,
          amsgrad,
          weightDecay,
        );
      }
      run("adamRange", plan, [
        param,
        grad,
        m,
        v,
        vhat,
        learningRate,
        beta1,
        beta2,
        epsilon,
        step,
        amsgrad,
        weightDecay,
      ]);
    },

    sgdUpdate(param, grad, velocity, count, learningRate, momentum, nesterov, weightDecay) {
      const plan = planElements(count, threads(), PARALLEL_MIN_WORK.elements);
      if (plan.parts < 2)
        return raw.sgdUpdate(param, grad, velocity, count, learningRate, momentum, nesterov, weightDecay);
      run("sgdRange", plan, [param, grad, velocity, learningRate, momentum, nesterov, weightDecay]);
    },
  };
}
