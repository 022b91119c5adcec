// Range entry points of the element-wise kernels, for the thread pool (ts/engine/threads/): each runs the kernel
// on the elements (or rows) [start, end) only, so a pool thread can take any part of a task from the task's one
// row of arguments. The kernels' scalar tails go through the same lane arithmetic as their SIMD bodies (IEEE
// add, mul, div, sqrt), so an element gets the same bits whichever part, and whichever thread, computes it.
// The GEMM's range entry point is gemmRange in gemm.ts.
import { activationBackward } from "./activations";
import { adamUpdate } from "./optimizers-adam";
import { sgdUpdate } from "./optimizers-sgd";

/** adamUpdate on elements [start, end) of param, grad, m, v (and vhat when amsgrad). */
export function adamRange(
  start: i32, end: i32, param: usize, grad: usize, m: usize, v: usize, vhat: usize,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, step: i32, amsgrad: i32, weightDecay: f32,
): void {
  const offset = <usize>start << 2;
  adamUpdate(
    param + offset, grad + offset, m + offset, v + offset, vhat ? vhat + offset : 0, end - start,
    learningRate, beta1, beta2, epsilon, step, amsgrad, weightDecay,
  );
}

/** sgdUpdate on elements [start, end) of param, grad (and velocity when momentum != 0). */
export function sgdRange(
  start: i32, end: i32, param: usize, grad: usize, velocity: usize,
  learningRate: f32, momentum: f32, nesterov: i32, weightDecay: f32,
): void {
  const offset = <usize>start << 2;
  sgdUpdate(param + offset, grad + offset, velocity ? velocity + offset : 0, end - start, learningRate, momentum, nesterov, weightDecay);
}

/** activationBackward on rows [start, end) of rows×cols matrices (z and y may be 0 when the kind reads neither). */
export function activationBackwardRange(
  start: i32, end: i32, kind: i32, cols: i32, z: usize, y: usize, dy: usize, dz: usize, alpha: f32,
): void {
  const offset = <usize>start * (<usize>cols << 2);
  activationBackward(kind, end - start, cols, z ? z + offset : 0, y ? y + offset : 0, dy + offset, dz + offset, alpha);
}
