/// <reference types="assemblyscript/std/assembly/index" />
/// <reference types="@as-pect/assembly/types/as-pect.d" />
import { gemmNN, gemmNT, gemmTN } from "../gemm";

// One odd-sized case per form against the plain triple loop in the same summation order: 6×11 is three
// rows of 2×16 tiles, all cut at column 11; k = 1000 runs as two depth blocks of 500. The kernels promise
// bit-identical results, so the comparison is exact.
const M = 6, N = 11, K = 1000;

function fill(values: StaticArray<f32>, seed: i32): void {
  let state = seed;
  for (let i = 0; i < values.length; i++) {
    state = state * 1103515245 + 12345;
    values[i] = <f32>((state >>> 8) & 0xffff) / 32768.0 - 1.0;
  }
}

/** C[i][j] = Σ_p A(i,p)·B(p,j), A(i,p) = a[i·ars + p·aps], B(p,j) = b[p·brs + j·bcs]. */
function naive(a: StaticArray<f32>, ars: i32, aps: i32, b: StaticArray<f32>, brs: i32, bcs: i32, c: StaticArray<f32>): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum: f32 = 0;
      for (let p = 0; p < K; p++) sum += a[i * ars + p * aps] * b[p * brs + j * bcs];
      c[i * N + j] = sum;
    }
  }
}

function expectSame(got: StaticArray<f32>, want: StaticArray<f32>): void {
  for (let i = 0; i < got.length; i++) expect(reinterpret<u32>(got[i])).toBe(reinterpret<u32>(want[i]));
}

// Module-level: AssemblyScript has no closures, so the test bodies cannot capture locals.
const a = new StaticArray<f32>(M * K);
const b = new StaticArray<f32>(K * N);
const want = new StaticArray<f32>(M * N);
const got = new StaticArray<f32>(M * N);
fill(a, 1);
fill(b, 2);

function ptr(x: StaticArray<f32>): usize {
  return changetype<usize>(x);
}

describe("gemm", () => {
  it("gemmNN matches the scalar triple loop bit for bit", () => {
    naive(a, K, 1, b, N, 1, want);
    gemmNN(M, N, K, ptr(a), ptr(b), ptr(got), 0);
    expectSame(got, want);
  });

  it("gemmNT matches the scalar triple loop bit for bit", () => {
    // b read as an N×K matrix: B(p, j) = b[j·K + p]
    naive(a, K, 1, b, 1, K, want);
    gemmNT(M, N, K, ptr(a), ptr(b), ptr(got), 0);
    expectSame(got, want);
  });

  it("gemmTN matches the scalar triple loop bit for bit", () => {
    // a read as a K×M matrix: A(i, p) = a[p·M + i]
    naive(a, 1, M, b, N, 1, want);
    gemmTN(M, N, K, ptr(a), ptr(b), ptr(got), 0);
    expectSame(got, want);
  });
});

// One row (batch-1 inference: B streamed in place, two k steps an iteration) against the same scalar loop:
// 37 columns are two 16-column strips, one of 4 and one scalar column; k = 33 leaves an odd k step.
const ROW_N = 37, ROW_K = 33;
const rowA = new StaticArray<f32>(ROW_K);
const rowB = new StaticArray<f32>(ROW_K * ROW_N);
const rowWant = new StaticArray<f32>(ROW_N);
const rowGot = new StaticArray<f32>(ROW_N);
fill(rowA, 3);
fill(rowB, 4);

describe("gemm, one row", () => {
  it("gemmNN with m = 1 matches the scalar loop bit for bit", () => {
    for (let j = 0; j < ROW_N; j++) {
      let sum: f32 = 0;
      for (let p = 0; p < ROW_K; p++) sum += rowA[p] * rowB[p * ROW_N + j];
      rowWant[j] = sum;
    }
    gemmNN(1, ROW_N, ROW_K, ptr(rowA), ptr(rowB), ptr(rowGot), 0);
    expectSame(rowGot, rowWant);
  });
});
