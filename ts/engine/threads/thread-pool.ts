// The pool: threads 1 … n-1 each run the kernels on the shared memory (worker-source.ts); the calling thread is
// thread 0 and takes parts of every task itself, so `threads: 2` means one extra worker.
//
// Workers are unref'd (Node, Deno and Bun run them through worker_threads), so an idle pool never keeps a
// script alive; close() stops and terminates them (init with another count, or a switch of kernel build).
import {
  ARGS_BYTE_OFFSET,
  CONTROL,
  CONTROL_BYTES,
  GEN_TAG_MASK,
  MAX_ARGS,
  MAX_PARTS,
  MAX_THREADS,
  PROFILE_BYTE_OFFSET,
  PROFILE_SLOTS,
  TASK_NAMES,
  type TaskName,
} from "./control-block.js";
import { type PoolWorker, spawnWorker } from "./spawn-worker.js";

/** Polls of COMPLETED before the calling thread sleeps in Atomics.wait (where it may; a page's main thread may not). */
const CALLER_SPINS_BEFORE_WAIT = 1 << 16;
/**
 * How long the pool leaves tasks to the calling thread once threads stopped paying, doubled each time in a row
 * (up to the maximum), in ms. NOTE: on a machine with more runnable threads than cores, a worker gets a core
 * only now and then: it claims few parts, a part it claimed may wait a whole time slice (milliseconds) for it,
 * and while it polls it takes CPU time from the calling thread (the scheduler shares a core per process group,
 * not per thread). The pool then runs kernels on the calling thread alone for a while, so that its workers
 * sleep, and tries them again. (Tests and benchmarks set both to 0 to see the threads as they are.)
 */
export const POOL_BACKOFF_MS = { first: 50, max: 1000 };
/** Weight of the last task in the running share of parts the workers took. */
const SHARE_WEIGHT = 1 / 16;

/** A range kernel: runs the part [start, end) of a task. */
export type RangeKernel = (start: number, end: number, ...args: number[]) => void;

export class ThreadPool {
  private readonly words: Int32Array;
  private readonly args: Float64Array;
  /** Per-thread timings while profiling (control-block.ts PROFILE_SLOTS). */
  private readonly profileLines: Float64Array;
  private readonly workers: PoolWorker[] = [];
  /** Whether this thread may block in Atomics.wait (false on a browser page's main thread: it polls instead). */
  private readonly callerMayWait: boolean;
  private closed = false;
  /** Until when (performance.now()) kernels run on the calling thread alone, and the next backoff's length. */
  private serialUntil = 0;
  private backoff = POOL_BACKOFF_MS.first;
  /** Running share of the parts of split tasks the workers ran; the calling thread alone would leave 0. */
  private workerShare: number;
  /** Split tasks since the last backoff: the share says something after 1 / SHARE_WEIGHT of them. */
  private tasksSinceBackoff = 0;
  /** Split tasks run, those where the calling thread waited for a worker, ms it waited, backoffs (a statistic). */
  readonly stats = { tasks: 0, waits: 0, waitedMs: 0, backoffs: 0 };

  private constructor(
    private readonly kernels: Record<TaskName, RangeKernel>,
    readonly control: SharedArrayBuffer,
  ) {
    this.words = new Int32Array(control);
    this.args = new Float64Array(control, ARGS_BYTE_OFFSET, MAX_ARGS);
    this.profileLines = new Float64Array(control, PROFILE_BYTE_OFFSET, MAX_THREADS * 8);
    this.callerMayWait = mayBlock(this.words);
    this.workerShare = this.fairShare;
  }

  /** The share of parts the workers take when each thread gets a core: all but the calling thread's. */
  private get fairShare(): number {
    return 1 - 1 / this.size;
  }

  /**
   * Starts `threads - 1` workers on `memory`, each with its own instance of the module in `bytes` and its own
   * GEMM packing buffers (`scratch[t]` for thread t; thread 0, the calling one, keeps the module's static ones).
   */
  static async start(
    threads: number,
    bytes: Uint8Array,
    memory: WebAssembly.Memory,
    kernels: Record<TaskName, RangeKernel>,
    scratch: readonly number[],
  ): Promise<ThreadPool> {
    const pool = new ThreadPool(kernels, new SharedArrayBuffer(CONTROL_BYTES));
    try {
      const started = [];
      for (let index = 1; index < threads; index++)
        started.push(spawnWorker(index, bytes, memory, pool.control, scratch[index]));
      const settled = await Promise.allSettled(started);
      for (const result of settled) if (result.status === "fulfilled") pool.workers.push(result.value);
      const failure = settled.find((result) => result.status === "rejected");
      if (failure) throw (failure as PromiseRejectedResult).reason;
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  /** Parts of split tasks the pool threads ran (the rest ran on the calling thread), since the pool started. */
  get workerParts(): number {
    return Atomics.load(this.words, CONTROL.WORKER_PARTS);
  }

  /**
   * Starts (true) or stops timing tasks on every thread: bench/threads-profile.mjs. NOTE: off by default, as each
   * task then reads the clock a few times on each thread.
   */
  set profiling(on: boolean) {
    Atomics.store(this.words, CONTROL.PROFILE, on ? 1 : 0);
  }

  /**
   * Per thread (0 = the calling one) while profiling: ms running parts (the calling thread: its own parts; a pool
   * thread: from seeing a task to finishing its parts), ms from hand-off to a pool thread seeing the task, tasks
   * seen and tasks it ran parts of.
   */
  profile(): { busyMs: number; lagMs: number; seen: number; worked: number }[] {
    return Array.from({ length: this.size }, (_, thread) => {
      const line = thread * 8;
      return {
        busyMs: this.profileLines[line + PROFILE_SLOTS.BUSY_MS],
        lagMs: this.profileLines[line + PROFILE_SLOTS.LAG_MS],
        seen: this.profileLines[line + PROFILE_SLOTS.SEEN],
        worked: this.profileLines[line + PROFILE_SLOTS.WORKED],
      };
    });
  }

  /** Threads a task can use, the calling thread included. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Threads worth cutting a task for now: 1 while the pool backs off after a task that threads slowed down. */
  get activeThreads(): number {
    return this.serialUntil > 0 && performance.now() < this.serialUntil ? 1 : this.workers.length + 1;
  }

  /**
   * Runs `task` over [0, total) in parts of `span` (the last one shorter): kernel(start, end, …args) once per
   * part, on whichever thread claims it (this thread from the first part on, pool threads from the last one
   * back: control-block.ts), and returns when all parts are done. One part runs on the calling thread without
   * touching the pool.
   */
  run(task: TaskName, total: number, span: number, args: readonly number[]): void {
    const kernel = this.kernels[task];
    const parts = Math.ceil(total / span);
    if (parts <= 1) {
      kernel(0, total, ...args);
      return;
    }
    if (parts > MAX_PARTS || args.length > MAX_ARGS - 2 || this.closed) {
      throw new Error(
        `ThreadPool.run: ${parts} parts of ${args.length} arguments (at most ${MAX_PARTS} of ${MAX_ARGS - 2})`,
      );
    }
    const words = this.words;
    this.args.set(args);
    words[CONTROL.KIND] = TASK_NAMES.indexOf(task);
    words[CONTROL.ARGC] = args.length;
    words[CONTROL.TOTAL] = total;
    words[CONTROL.SPAN] = span;
    words[CONTROL.PARTS] = parts;
    Atomics.store(words, CONTROL.COMPLETED, 0);
    const profiling = words[CONTROL.PROFILE] !== 0;
    if (profiling) this.profileLines[PROFILE_SLOTS.PUBLISHED] = performance.timeOrigin + performance.now();
    const gen = (Atomics.load(words, CONTROL.GEN) + 1) | 0;
    Atomics.store(words, CONTROL.NEXT, ((gen & GEN_TAG_MASK) << 16) | parts);
    Atomics.store(words, CONTROL.GEN, gen);
    // NOTE: a task that had to wake a sleeping pool thread says nothing about whether threads pay (waking takes
    // tens of µs), so it does not count toward backing off.
    const woke = Atomics.load(words, CONTROL.SLEEPERS) > 0;
    if (woke) Atomics.notify(words, CONTROL.GEN);
    let ownError: unknown;
    let done = 0;
    const started = performance.now();
    for (;;) {
      const next = Atomics.load(words, CONTROL.NEXT),
        front = (next >>> 8) & 0xff;
      if (front >= (next & 0xff)) break;
      if (Atomics.compareExchange(words, CONTROL.NEXT, next, next + 0x100) !== next) continue;
      const start = front * span;
      try {
        kernel(start, Math.min(start + span, total), ...args);
      } catch (error) {
        ownError ??= error;
      }
      done++;
    }
    this.stats.tasks++;
    const ownEnd = performance.now();
    if (profiling) {
      this.profileLines[PROFILE_SLOTS.SEEN]++;
      if (done) this.profileLines[PROFILE_SLOTS.WORKED]++;
      this.profileLines[PROFILE_SLOTS.BUSY_MS] += ownEnd - started;
    }
    if (Atomics.add(words, CONTROL.COMPLETED, done) + done < parts) {
      this.waitForCompletion(parts);
      const waited = performance.now() - ownEnd;
      this.stats.waits++;
      this.stats.waitedMs += waited;
      // The part time the calling thread saw, times the workers' parts: what they would have cost it alone.
      if (!woke && done > 0 && waited > ((ownEnd - started) / done) * (parts - done)) this.backOff();
    }
    if (!woke) {
      this.workerShare += ((parts - done) / parts - this.workerShare) * SHARE_WEIGHT;
      if (this.workerShare < this.fairShare / 2) this.backOff();
      else if (++this.tasksSinceBackoff * SHARE_WEIGHT >= 1 && this.workerShare > (this.fairShare * 3) / 4)
        this.backoff = POOL_BACKOFF_MS.first;
    }
    if (ownError !== undefined) throw ownError;
    const failed = Atomics.exchange(words, CONTROL.ERROR, 0);
    if (failed) throw new Error(`densa: kernel ${task} failed on pool thread ${failed}`);
  }

  /** Leaves tasks to the calling thread for the next backoff period; the workers' share starts afresh after it. */
  private backOff(): void {
    this.serialUntil = performance.now() + this.backoff;
    this.backoff = Math.min(this.backoff * 2, POOL_BACKOFF_MS.max);
    this.workerShare = this.fairShare;
    this.tasksSinceBackoff = 0;
    this.stats.backoffs++;
  }

  /** Stops and terminates the workers; the pool cannot run tasks afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.words, CONTROL.STOP, 1);
    Atomics.add(this.words, CONTROL.GEN, 1);
    Atomics.notify(this.words, CONTROL.GEN);
    for (const worker of this.workers) worker.terminate();
    this.workers.length = 0;
  }

  private waitForCompletion(parts: number): void {
    const words = this.words;
    let spins = 0;
    for (
      let done = Atomics.load(words, CONTROL.COMPLETED);
      done < parts;
      done = Atomics.load(words, CONTROL.COMPLETED)
    ) {
      if (this.callerMayWait && ++spins > CALLER_SPINS_BEFORE_WAIT) {
        // NOTE: a worker that adds the last part reads CALLER_WAITING after its add; this thread sets it before
        // Atomics.wait re-checks COMPLETED, so one of the two always sees the other (no lost wake-up).
        Atomics.store(words, CONTROL.CALLER_WAITING, 1);
        Atomics.wait(words, CONTROL.COMPLETED, done, 10);
        Atomics.store(words, CONTROL.CALLER_WAITING, 0);
      }
    }
  }
}

/** Whether Atomics.wait is allowed here: browsers forbid it on a page's main thread (it throws). */
function mayBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, CONTROL.STOP, 1, 0); // STOP is 0, so this returns "not-equal" at once where allowed
    return true;
  } catch {
    return false;
  }
}
