import { getEngine } from "../engine/engine.js";
import { Tensor, type TensorLike, tensor } from "../tensor.js";
import { withScratchBlocks } from "../utils/scratch.js";

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
    throw new Error(
      `matMul: a has ${k} columns but b has ${kRight} rows (shapes [${left.shape}] and [${right.shape}])`,
    );
  }
  const engine = getEngine();
  return withScratchBlocks([m * k, k * n, m * n], ([aPtr, bPtr, cPtr]) => {
    engine.write(aPtr, left.data);
    engine.write(bPtr, right.data);
    engine.kernels.gemmNN(m, n, k, aPtr, bPtr, cPtr, 0);
    return new Tensor(engine.read(cPtr, m * n), [m, n]);
  });
}
