// Embedding kernels: a lookup of table rows by id, and its backward, which adds each output row's gradient
// into the row of the table it came from.
//
//   gather:   for k in ids:  check id; out[k, :] = table[id, :]         (a row copy)
//   scatter:  grad = 0; for k in ids: grad[id, :] += dy[k, :]          (f32x4 along the row, scalar tail)
//
// Ids arrive as float32 (the model's input buffer): an id must be a whole number in [0, inputDim). The gather
// checks every id and stops at the first bad one, so the layer can name it instead of reading a wrong row.

/**
 * out[k, :] = table[ids[k], :] for `count` ids; returns −1, or the position of the first id that is not a whole
 * number in [0, inputDim) (NaN included), with the rows before it written.
 */
export function embeddingGather(count: i32, ids: usize, table: usize, inputDim: i32, outputDim: i32, out: usize): i32 {
  const rowBytes = <usize>outputDim << 2;
  const limit = <f32>inputDim;
  for (let k = 0; k < count; k++) {
    const id = load<f32>(ids + (<usize>k << 2));
    // NOTE: written so that NaN fails too (every comparison with NaN is false).
    if (!(id >= 0 && id < limit && Mathf.floor(id) == id)) return k;
    memory.copy(out + <usize>k * rowBytes, table + <usize><i32>id * rowBytes, rowBytes);
  }
  return -1;
}

/** grad = 0, then grad[ids[k], :] += dy[k, :] for every k (ids already checked by the forward). */
export function embeddingScatterAdd(count: i32, ids: usize, dy: usize, inputDim: i32, outputDim: i32, grad: usize): void {
  const rowBytes = <usize>outputDim << 2;
  memory.fill(grad, 0, <usize>inputDim * rowBytes);
  const body = outputDim & ~3;
  for (let k = 0; k < count; k++) {
    const dst = grad + <usize><i32>load<f32>(ids + (<usize>k << 2)) * rowBytes;
    const src = dy + <usize>k * rowBytes;
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; j < outputDim; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}
