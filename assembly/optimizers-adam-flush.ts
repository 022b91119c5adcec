// Flush-to-zero for Adam's moments: a first or second moment whose magnitude falls below a threshold is stored
// as exactly 0 (an explicit compare and select in adamUpdate's body: the same bits in every runtime and for any
// thread count).
//
// Why: a weight whose gradient is exactly 0 step after step (a dead ReLU unit's column, an input feature that
// is always 0; ~88 % of the bench model's 784-128-64-10 weights after a few epochs) has its first moment decay
// m ← m − m·(1 − β1) by 0.9 a step through the subnormal range, where it takes ~150 steps to reach 0 or get
// stuck. x86 runs every multiply with a subnormal operand or result through a microcode assist, and wasm has no
// flush-to-zero mode, so Adam took 125–270 µs a call in that phase against ~60 µs on normal numbers (measured
// with bench/adam-phases.mjs; a shortcut for moments already stuck, dropped for this, only helped at the end).
// TensorFlow runs its CPU kernels with flush-to-zero and denormals-are-zero set: port::ScopedFlushDenormal
// (tensorflow/core/platform/denormal.h; denormal.cc sets FTZ and DAZ on x86 with SSE3) is held by every thread
// its thread pool starts (threadpool.cc, CreateThread: "Set the processor flag to flush denormals to zero") and
// around an eager kernel's run, so Keras 3 on the TensorFlow backend never keeps a subnormal moment on x86
// either. densa does the same deliberately, with a threshold in the kernel instead of a CPU mode.
//
// Thresholds (FLT_MIN = 2⁻¹²⁶, the smallest normal f32):
//   m: FLT_MIN / min(1, 1 − β1, α). A stored m is then 0 or |m| ≥ FLT_MIN/(1 − β1), so next step's
//      (g − m)·(1 − β1) with g = 0 has a normal result, and |m|·α ≥ FLT_MIN: the update's multiply is normal.
//   v: FLT_MIN / min(1, 1 − β2). (g² − v)·(1 − β2) stays normal for g = 0; √v is then never subnormal.
// Factors below 2⁻²⁴ (a learning rate under ~6e-8) count as 2⁻²⁴, so that a threshold never exceeds 2⁻¹⁰²:
// such settings may see a few subnormal products again, but never a flush of a moment that matters.
// What the flush changes: a flushed m would have added at most |m|·α/(√v + ε) ≤ FLT_MIN/ε·(1/(1 − β1)) over
// its whole remaining decay, ≤ 1.2e-30 with the defaults (ε = 1e-7), far below an ulp of any weight above
// ~1e-23, so the weights keep their bits in practice; a flushed v (√v < 3.5e-18) leaves √v + ε = ε for any
// ε ≥ 1e-10. With ε = 0, v is never flushed (0 there would turn a finite update into a division by 0).
// NOTE: measured (bench/adam-phases.mjs, Adam states of the bench model at epochs 1–16 of 128 steps, min of 40
// interleaved calls, load ~11 on 2 cores): before, 58–62 µs at epochs 1–5 and 120–155 µs from epoch 6 (27–79 %
// of the first moments subnormal); with the flush, 63–67 µs at every epoch (no subnormal moment). The flush
// costs ~6 µs a call in the normal phase, nearly all of it the second moment's compare (m's alone: ~1 µs; an
// integer compare for v was no cheaper).
// Not covered (uncommon): a nonzero gradient below ~1e-19 (g² subnormal), and g − m cancelling to a subnormal.

/** 2⁻¹²⁶ (AssemblyScript has no hexadecimal float literals) and the smallest factor a threshold divides by. */
const SMALLEST_NORMAL: f32 = 1.1754943508222875e-38;
const SMALLEST_FACTOR: f32 = 5.960464477539063e-8; // 2⁻²⁴

/** FLT_MIN / min(1, each positive factor, at least 2⁻²⁴), rounded once to f32. */
// @ts-ignore: decorator
@inline function flushThreshold(factorA: f32, factorB: f32): f32 {
  let factor: f32 = 1;
  if (factorA > 0 && factorA < factor) factor = factorA;
  if (factorB > 0 && factorB < factor) factor = factorB;
  return SMALLEST_NORMAL / max<f32>(factor, SMALLEST_FACTOR);
}

/** The first moment's threshold: |m| below it is stored as 0. */
// @ts-ignore: decorator
@inline export function firstMomentFlush(oneMinusBeta1: f32, alpha: f32): f32 {
  return flushThreshold(oneMinusBeta1, alpha);
}

/** The second moment's threshold: v below it is stored as 0; 0 (no flush) when ε ≤ 0. */
// @ts-ignore: decorator
@inline export function secondMomentFlush(oneMinusBeta2: f32, epsilon: f32): f32 {
  return epsilon > 0 ? flushThreshold(oneMinusBeta2, 1) : 0;
}
