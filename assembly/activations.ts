// Activation kinds, shared with TypeScript through exported globals (ts reads ACTIVATION_*.value).
// STUB: only linear and relu so far; the activations work replaces this file.
export const ACTIVATION_LINEAR: i32 = 0;
export const ACTIVATION_RELU: i32 = 1;

/** y[i] = f(x[i]) over rows×cols (row-wise for softmax kinds); x may equal y (in place). */
export function activationForward(kind: i32, rows: i32, cols: i32, x: usize, y: usize, alpha: f32): void {
  const count = rows * cols;
  for (let i = 0; i < count; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), kind == ACTIVATION_RELU ? max(v, 0) : v);
  }
}
