// The script every pool thread runs, as text: it becomes a Blob URL (browsers, Deno, Bun) or a data: URL
// (Node's worker_threads), so the package needs no second file that bundlers would have to find and copy.
//
// A thread instantiates the kernels on the shared memory, answers "ready", then serves tasks until told to stop:
//
//   sleep until GEN changes (poll SPIN_BEFORE_WAIT times first, then Atomics.wait)
//   while NEXT still carries this GEN and a part is left: claim it (compare-and-swap NEXT), run
//     kernels[KIND](…args row of the part), COMPLETED += 1 (the last part notifies the calling thread)
//
// Layout and claiming: control-block.ts.
import { ARGS_BYTE_OFFSET, CONTROL, GEN_MASK, MAX_ARGS, SPIN_BEFORE_WAIT, TASK_NAMES } from "./control-block.js";

/** The worker script; `node` selects how it reaches its parent (worker_threads' parentPort or `self`). */
export function workerSource(node: boolean): string {
  const connect = node
    ? `const port = (await import("node:worker_threads")).parentPort; const listen = (f) => port.on("message", f);`
    : `const port = self; const listen = (f) => { self.onmessage = (e) => f(e.data); };`;
  return `${connect}
const C = ${JSON.stringify(CONTROL)}, NAMES = ${JSON.stringify(TASK_NAMES)};
listen(async (message) => {
  const { bytes, memory, control, index } = message;
  let kernels;
  try {
    kernels = (await WebAssembly.instantiate(await WebAssembly.compile(bytes), { env: { memory } })).exports;
  } catch (error) {
    port.postMessage({ failed: String(error) });
    return;
  }
  const words = new Int32Array(control), args = new Float64Array(control, ${ARGS_BYTE_OFFSET});
  const tasks = NAMES.map((name) => kernels[name]);
  let seen = Atomics.load(words, C.GEN);
  port.postMessage({ ready: true });
  for (;;) {
    for (let spins = 0; Atomics.load(words, C.GEN) === seen; spins++) {
      if (spins >= ${SPIN_BEFORE_WAIT}) { Atomics.wait(words, C.GEN, seen); spins = 0; }
    }
    seen = Atomics.load(words, C.GEN);
    if (Atomics.load(words, C.STOP)) break;
    const tag = (seen & ${GEN_MASK}) << 8;
    for (;;) {
      const next = Atomics.load(words, C.NEXT), part = next & 0xff, parts = Atomics.load(words, C.PARTS);
      if ((next & ~0xff) !== tag || part >= parts) break;
      if (Atomics.compareExchange(words, C.NEXT, next, next + 1) !== next) continue;
      try {
        const row = part * ${MAX_ARGS};
        tasks[words[C.KIND]](...args.subarray(row, row + words[C.ARGC]));
      } catch (error) {
        Atomics.store(words, C.ERROR, index);
      }
      Atomics.add(words, C.WORKER_PARTS, 1);
      if (Atomics.add(words, C.COMPLETED, 1) + 1 === parts) Atomics.notify(words, C.COMPLETED);
    }
  }
  ${node ? "port.close();" : "self.close();"}
});
`;
}
