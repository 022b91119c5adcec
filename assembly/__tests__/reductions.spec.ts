import { columnSums, rowArgmax, countTopKMatches } from "../reductions";

function floats(count: i32): usize {
  return changetype<usize>(new StaticArray<f32>(count));
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

describe("columnSums", () => {
  it("adds every column top to bottom, overwriting or accumulating", () => {
    const rows = 7, cols = 19;
    const src = floats(rows * cols), dst = floats(cols + 1);
    for (let k = 0; k < rows * cols; k++) store<f32>(at(src, k), <f32>Math.cos(0.37 * <f64>k));
    store<f32>(at(dst, cols), 42);
    columnSums(rows, cols, src, dst, 0);
    for (let j = 0; j < cols; j++) {
      let expected: f32 = 0;
      for (let i = 0; i < rows; i++) expected += load<f32>(at(src, i * cols + j));
      expect(load<f32>(at(dst, j))).toBe(expected);
    }
    columnSums(rows, cols, src, dst, 1);
    for (let j = 0; j < cols; j++) {
      let expected: f32 = 0;
      for (let i = 0; i < rows; i++) expected += load<f32>(at(src, i * cols + j));
      let twice = expected;
      for (let i = 0; i < rows; i++) twice += load<f32>(at(src, i * cols + j));
      expect(load<f32>(at(dst, j))).toBe(twice);
    }
    expect(load<f32>(at(dst, cols))).toBe(42);
  });
});

describe("rowArgmax", () => {
  it("returns the first maximum, and the first NaN when there is one", () => {
    const src = floats(10), dst = floats(2);
    const values: f32[] = [1, 3, 2, 3, 0, -1, NaN, 5, NaN, 5];
    for (let k = 0; k < 10; k++) store<f32>(at(src, k), values[k]);
    rowArgmax(2, 5, src, dst);
    expect(load<i32>(at(dst, 0))).toBe(1);
    expect(load<i32>(at(dst, 1))).toBe(1);
  });
});

describe("countTopKMatches", () => {
  it("counts ties at the k-th place as hits, like tf.math.in_top_k", () => {
    const src = floats(5), labels = floats(1);
    const values: f32[] = [0.4, 0.4, 0.1, 0.05, 0.05];
    for (let k = 0; k < 5; k++) store<f32>(at(src, k), values[k]);
    store<i32>(labels, 1);
    expect(countTopKMatches(1, 5, src, labels, 1, 0)).toBe(1);
    // classes 3 and 4 tie for 4th place: in_top_k counts both as in the top 4, neither in the top 3
    store<i32>(labels, 4);
    expect(countTopKMatches(1, 5, src, labels, 4, 0)).toBe(1);
    expect(countTopKMatches(1, 5, src, labels, 3, 0)).toBe(0);
  });
});
