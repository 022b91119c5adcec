// QR for Keras's Orthogonal initializer (keras/src/initializers/random_initializers.py):
//   a = normal(max(r, c) × min(r, c)); q, r = qr(a); q *= sign(diag(r)); transpose when rows < cols; × gain.
// This kernel does the middle: the reduced Q of a tall matrix, with Keras's sign fix, by Householder
// reflections (Golub & Van Loan, "Matrix Computations", §5.1–5.2). The sign fix makes the result the
// unique QR whose R has a positive diagonal, so it does not depend on the reflector sign convention.
import { at } from "./optimizers-common";

// dst[j] += a·src[j] for j < count (dst, src already offset to the first column).
// @ts-ignore: decorator
@inline function addScaled(dst: usize, src: usize, a: f32, count: i32): void {
  const aV = f32x4.splat(a);
  const end4 = count & ~3;
  let j = 0;
  for (; j < end4; j += 4) {
    v128.store(dst + at(j), f32x4.add(v128.load(dst + at(j)), f32x4.mul(aV, v128.load(src + at(j)))));
  }
  for (; j < count; j++) store<f32>(dst + at(j), load<f32>(dst + at(j)) + a * load<f32>(src + at(j)));
}

// Applies the reflector I - β·v·vᵀ (v = column k of `reflectors`, rows k … rows-1) to columns
// [fromCol, cols) of rows k … rows-1 of `target`, row by row so every inner loop is contiguous:
// work = vᵀ·target, then target -= (β·v_i)·work for each row i.
function reflect(
  reflectors: usize, target: usize, work: usize, rows: i32, cols: i32, k: i32, fromCol: i32, beta: f32,
): void {
  const width = cols - fromCol;
  if (width <= 0 || beta == 0) return;
  const workAt = work + at(fromCol);
  memory.fill(workAt, 0, at(width));
  for (let i = k; i < rows; i++) {
    addScaled(workAt, target + at(i * cols + fromCol), load<f32>(reflectors + at(i * cols + k)), width);
  }
  for (let i = k; i < rows; i++) {
    const scale = beta * load<f32>(reflectors + at(i * cols + k));
    addScaled(target + at(i * cols + fromCol), workAt, -scale, width);
  }
}

/**
 * Replaces the rows × cols matrix at `ptr` (row-major, rows ≥ cols ≥ 1) with Q·sign(diag R), the reduced
 * Q of its QR factorisation with columns signed as Keras does. `scratch` holds rows·cols + 3·cols floats.
 * Does nothing when rows < cols: the caller draws the transposed shape and transposes Q afterwards.
 *
 * scratch layout (floats):  [ reflectors: rows·cols | work: cols | diagR: cols | beta: cols ]
 */
export function orthogonalize(rows: i32, cols: i32, ptr: usize, scratch: usize): void {
  if (cols < 1 || rows < cols) return;
  const reflectors = scratch;
  const work = scratch + at(rows * cols);
  const diagR = work + at(cols);
  const betas = diagR + at(cols);
  memory.copy(reflectors, ptr, at(rows * cols));

  // Factor: column k becomes v_k = x - α·e_1 with α = -sign(x_0)·‖x‖ (no cancellation in v_0), and
  // R_kk = α. The norm is summed in f64 (squares of f32 are exact there) for an accurate reflector.
  for (let k = 0; k < cols; k++) {
    let below: f64 = 0;
    for (let i = k + 1; i < rows; i++) {
      const x = <f64>load<f32>(reflectors + at(i * cols + k));
      below += x * x;
    }
    const x0 = <f64>load<f32>(reflectors + at(k * cols + k));
    const norm = Math.sqrt(below + x0 * x0);
    const alpha = x0 >= 0 ? -norm : norm;
    const v0 = <f32>(x0 - alpha);
    store<f32>(reflectors + at(k * cols + k), v0);
    const vTv = below + <f64>v0 * <f64>v0;
    const beta = vTv > 0 ? <f32>(2 / vTv) : <f32>0;
    store<f32>(diagR + at(k), <f32>alpha);
    store<f32>(betas + at(k), beta);
    reflect(reflectors, reflectors, work, rows, cols, k, k + 1, beta);
  }

  // Form Q = H_0 · H_1 ⋯ H_{cols-1} · [I; 0] backwards; H_k only touches rows and columns ≥ k.
  memory.fill(ptr, 0, at(rows * cols));
  for (let k = 0; k < cols; k++) store<f32>(ptr + at(k * cols + k), 1);
  for (let k = cols - 1; k >= 0; k--) reflect(reflectors, ptr, work, rows, cols, k, k, load<f32>(betas + at(k)));

  // Keras: q *= sign(diag(r)), sign(0) = 0.
  for (let j = 0; j < cols; j++) {
    const d = load<f32>(diagR + at(j));
    store<f32>(work + at(j), <f32>(d > 0) - <f32>(d < 0));
  }
  for (let i = 0; i < rows; i++) {
    const row = ptr + at(i * cols);
    const end4 = cols & ~3;
    let j = 0;
    for (; j < end4; j += 4) v128.store(row + at(j), f32x4.mul(v128.load(row + at(j)), v128.load(work + at(j))));
    for (; j < cols; j++) store<f32>(row + at(j), load<f32>(row + at(j)) * load<f32>(work + at(j)));
  }
}
