// The pool's task counter GEN wraps: its 16-bit tag in NEXT every 65536 tasks, the int32 itself after 2^31 (NEXT
// then holds negative words). Split products stay whole and exact across both, against a float32 scalar loop.
import { afterEach, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { CONTROL } from "../../ts/engine/threads/control-block.js";
import { PARALLEL_MIN_WORK } from "../../ts/engine/threads/parallel-kernels.js";
import { POOL_BACKOFF_MS } from "../../ts/engine/threads/thread-pool.js";
import { init } from "../../ts/index.js";
import { currentKernelVariant } from "../../ts/init.js";
import { seededRandom } from "../helpers/model-fixtures.js";

const normalThresholds = { ...PARALLEL_MIN_WORK };
const normalBackoff = { ...POOL_BACKOFF_MS };
afterEach(() => {
  Object.assign(PARALLEL_MIN_WORK, normalThresholds);
  Object.assign(POOL_BACKOFF_MS, normalBackoff);
});

/** C = A·B (m×k · k×n) in float32, each element summed left to right from 0 (the kernels' order). */
function scalarProduct(m: number, n: number, k: number, a: Float32Array, b: Float32Array): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum = Math.fround(sum + Math.fround(a[i * k + p] * b[p * n + j]));
      c[i * n + j] = sum;
    }
  }
  return c;
}

describe("the pool's task counter", () => {
  it("keeps split products exact while its tag and its sign wrap", async () => {
    await init({ threads: 3 });
    // Every product split into as many parts as it has strips, and never left to the calling thread alone.
    PARALLEL_MIN_WORK.productMacs = 1;
    Object.assign(POOL_BACKOFF_MS, { first: 0, max: 0 });
    const pool = currentKernelVariant()?.pool;
    expect(pool?.size).toBe(3);
    const engine = getEngine();
    const next = seededRandom(31);
    const [m, n, k] = [9, 150, 31];
    const a = Float32Array.from({ length: m * k }, () => Math.fround(next() * 2 - 1));
    const b = Float32Array.from({ length: k * n }, () => Math.fround(next() * 2 - 1));
    const expected = scalarProduct(m, n, k, a, b);
    const [pa, pb, pc] = [engine.allocF32(m * k), engine.allocF32(k * n), engine.allocF32(m * n)];
    try {
      engine.write(pa, a);
      engine.write(pb, b);
      const words = new Int32Array(pool!.control);
      const product = (task: number) => {
        engine.view(pc, m * n).fill(Number.NaN);
        engine.kernels.gemmNN(m, n, k, pa, pb, pc, 0);
        expect(engine.read(pc, m * n), `task ${task}`).toEqual(expected);
      };
      // NOTE: a pool thread takes a jump of GEN for a task, finds NEXT's tag not its own and claims nothing.
      // Tags from 0x8000 on make NEXT a negative int32: the pool threads must still claim parts (on a busy machine
      // they may miss many tasks; bounded by a count, not the clock, as in threads.test.ts).
      Atomics.store(words, CONTROL.GEN, 0x7fff8000);
      const before = pool!.workerParts;
      for (let task = 0; task < 3000 && pool!.workerParts === before; task++) product(task);
      expect(pool!.workerParts).toBeGreaterThan(before);
      // Across the tag's wrap (0xffff → 0) and GEN's sign.
      Atomics.store(words, CONTROL.GEN, 0x7fffffff - 20);
      for (let task = 0; task < 40; task++) product(task);
      expect(Atomics.load(words, CONTROL.GEN)).toBeLessThan(0);
    } finally {
      for (const ptr of [pa, pb, pc]) engine.free(ptr);
      await init({ threads: 1 });
    }
  });
});
