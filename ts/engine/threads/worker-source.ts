// The script every pool thread runs, as text: it becomes a Blob URL (browsers) or a data: URL (Node's
// worker_threads, also in Deno and Bun), so the package needs no second file that bundlers would have to find.
//
// A thread instantiates the kernels on the shared memory, points the GEMM's packing buffers at its own scratch,
// answers "ready", then serves tasks until told to stop:
//
//   poll GEN for SPIN_MS, then sleep in Atomics.wait (SLEEPERS counts the sleepers)
//   read the task (KIND, TOTAL, SPAN, PARTS, the argument row)
//   while NEXT still carries this GEN's tag and a part is left: claim the last one (compare-and-swap NEXT),
//     [GEN moved on: the tag came round again, and the part is the newer task's: read that task first]
//     run kernels[KIND](part·SPAN, min(part·SPAN + SPAN, TOTAL), …args)
//   COMPLETED += parts run (the last one wakes the calling thread if it sleeps)
//
// Layout and claiming: control-block.ts.
import {
  ARGS_BYTE_OFFSET,
  CONTROL,
  GEN_TAG_MASK,
  MAX_ARGS,
  MAX_THREADS,
  PROFILE_BYTE_OFFSET,
  PROFILE_SLOTS,
  SPIN_MS,
  TASK_NAMES,
} from "./control-block.js";

/** The worker script; `node` selects how it reaches its parent (worker_threads' parentPort or `self`). */
export function workerSource(node: boolean): string {
  const connect = node
    ? `const port = (await import("node:worker_threads")).parentPort; const listen = (f) => port.on("message", f);`
    : `const port = self; const listen = (f) => { self.onmessage = (e) => f(e.data); };`;
  // NOTE: the kernel is called with MAX_ARGS - 2 argument values whatever its arity (WebAssembly ignores extra
  // ones), which spares an array per part.
  const argList = Array.from({ length: MAX_ARGS - 2 }, (_, i) => `a[${i}]`).join(", ");
  return `${connect}
const C = ${JSON.stringify(CONTROL)}, NAMES = ${JSON.stringify(TASK_NAMES)}, P = ${JSON.stringify(PROFILE_SLOTS)};
listen(async (message) => {
  const { bytes, memory, control, index, scratch } = message;
  let kernels;
  try {
    kernels = (await WebAssembly.instantiate(await WebAssembly.compile(bytes), { env: { memory } })).exports;
    kernels.useGemmScratch(scratch);
  } catch (error) {
    port.postMessage({ failed: String(error) });
    return;
  }
  const words = new Int32Array(control), args = new Float64Array(control, ${ARGS_BYTE_OFFSET}, ${MAX_ARGS});
  const tasks = NAMES.map((name) => kernels[name]);
  const a = new Float64Array(${MAX_ARGS});
  const profile = new Float64Array(control, ${PROFILE_BYTE_OFFSET}, ${MAX_THREADS * 8}), line = index * 8;
  let seen = Atomics.load(words, C.GEN);
  port.postMessage({ ready: true });
  for (;;) {
    let until = performance.now() + ${SPIN_MS};
    for (let spins = 1; Atomics.load(words, C.GEN) === seen; spins++) {
      if ((spins & 255) === 0 && performance.now() > until) {
        Atomics.add(words, C.SLEEPERS, 1);
        Atomics.wait(words, C.GEN, seen);
        Atomics.sub(words, C.SLEEPERS, 1);
        until = performance.now() + ${SPIN_MS};
      }
    }
    seen = Atomics.load(words, C.GEN);
    if (Atomics.load(words, C.STOP)) break;
    const profiling = words[C.PROFILE], seenAt = profiling ? performance.now() : 0;
    let tag = seen & ${GEN_TAG_MASK};
    let task = tasks[words[C.KIND]], total = words[C.TOTAL], span = words[C.SPAN], parts = words[C.PARTS];
    a.set(args);
    let done = 0;
    for (;;) {
      const next = Atomics.load(words, C.NEXT), back = next & 0xff;
      if (next >>> 16 !== tag || ((next >>> 8) & 0xff) >= back) break;
      if (Atomics.compareExchange(words, C.NEXT, next, next - 1) !== next) continue;
      const gen = Atomics.load(words, C.GEN);
      if (gen !== seen) {
        seen = gen;
        tag = seen & ${GEN_TAG_MASK};
        task = tasks[words[C.KIND]], total = words[C.TOTAL], span = words[C.SPAN], parts = words[C.PARTS];
        a.set(args);
      }
      const start = (back - 1) * span;
      try {
        task(start, Math.min(start + span, total), ${argList});
      } catch (error) {
        Atomics.store(words, C.ERROR, index);
      }
      done++;
    }
    if (profiling) {
      profile[line + P.SEEN]++;
      profile[line + P.LAG_MS] += performance.timeOrigin + seenAt - profile[P.PUBLISHED];
      if (done) {
        profile[line + P.WORKED]++;
        profile[line + P.BUSY_MS] += performance.now() - seenAt;
      }
    }
    if (done) {
      Atomics.add(words, C.WORKER_PARTS, done);
      if (Atomics.add(words, C.COMPLETED, done) + done === parts && Atomics.load(words, C.CALLER_WAITING)) {
        Atomics.notify(words, C.COMPLETED);
      }
    }
  }
  ${node ? "port.close();" : "self.close();"}
});
`;
}
