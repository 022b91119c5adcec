// Weight regularizers (Keras 3 keras/src/regularizers/regularizers.py, L1 / L2 / L1L2): the penalty is
// added to the loss, its gradient to the weight's gradient before clipping and the optimizer update.
import { at, sumOfAbsF64, sumOfSquaresF64 } from "./optimizers-common";

/**
 * Keras L1L2: l1·Σ|w| + l2·Σw², in f32 after f64 sums (see sumOfSquaresF64). A zero coefficient drops its
 * term, as Keras's `if self.l1:` does, so an infinite weight under l2 only does not make the l1 term NaN.
 */
export function l1l2Penalty(w: usize, count: i32, l1: f32, l2: f32): f32 {
  let penalty: f32 = 0;
  if (l1 != 0) penalty += l1 * <f32>sumOfAbsF64(w, count);
  if (l2 != 0) penalty += l2 * <f32>sumOfSquaresF64(w, count);
  return penalty;
}

/**
 * grad ← grad + (l1·sign(w) + 2·l2·w), the derivative of l1l2Penalty. sign(0) = 0 (and sign(NaN) = 0),
 * the subgradient TensorFlow's Abs gradient uses.
 */
export function addL1L2Gradient(w: usize, grad: usize, count: i32, l1: f32, l2: f32): void {
  const twoL2: f32 = 2 * l2;
  const l1V = f32x4.splat(l1), twoL2V = f32x4.splat(twoL2);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const x = v128.load(w + at(i));
    // sign(x) = [x > 0] - [x < 0], built from the comparison masks and the bits of 1.0.
    const sign = f32x4.sub(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), one));
    const term = f32x4.add(f32x4.mul(l1V, sign), f32x4.mul(twoL2V, x));
    v128.store(grad + at(i), f32x4.add(v128.load(grad + at(i)), term));
  }
  for (; i < count; i++) {
    const x = load<f32>(w + at(i));
    const sign: f32 = <f32>(x > 0) - <f32>(x < 0);
    store<f32>(grad + at(i), load<f32>(grad + at(i)) + (l1 * sign + twoL2 * x));
  }
}
