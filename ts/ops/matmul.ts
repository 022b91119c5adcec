import { getEngine } from "../engine/engine.js";
import { Tensor, tensor, type TensorLike } from "../tensor.js";

/** Matrix product of two rank-2 tensors, computed by the GEMM kernel. */
export function matMul(a: TensorLike, b: TensorLike): Tensor {
  const left = tensor(a);
  const right = tensor(b);
  if (left.rank !== 2 || right.rank !== 2) {
    throw new Error(`matMul: a and b must be rank 2, got shapes [${left.shape}] and [${right.shape}]`);
  }
  const [m, k] = left.shape;
  const [kRight, n] = right.shape;
  if (k !== kRight) {
    throw new Error(`matMul: a has ${k} columns but b has ${kRight} rows (shapes [${left.shape}] and [${right.shape}])`);
  }
  const engine = getEngine();
  const aPtr = engine.allocF32(m * k);
  const bPtr = engine.allocF32(k * n);
  const cPtr = engine.allocF32(m * n);
  try {
    engine.write(aPtr, left.data);
    engine.write(bPtr, right.data);
    engine.kernels.gemmNN(m, n, k, aPtr, bPtr, cPtr, 0);
    return new Tensor(engine.read(cPtr, m * n), [m, n]);
  } finally {
    engine.free(cPtr);
    engine.free(bPtr);
    engine.free(aPtr);
  }
}
