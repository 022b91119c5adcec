// Layout of the SharedArrayBuffer through which the calling thread hands tasks to the pool threads
// (worker-source.ts is the other side). Int32 words first, then one Float64 row of arguments.
//
//   words (CONTROL): GEN | NEXT | COMPLETED | the task's description | WORKER_PARTS, a 64-byte line each
//   args:  MAX_ARGS float64 at ARGS_BYTE_OFFSET   (i32 and f32 arguments are exact in f64)
//   profile: a 64-byte line of float64 per thread at PROFILE_BYTE_OFFSET (PROFILE_SLOTS; written only while
//            CONTROL.PROFILE is set: bench/threads-profile.mjs)
//
// A task is one range kernel (kernel(start, end, …args)) over [0, TOTAL) cut into PARTS parts of SPAN: part p
// runs kernel(p·SPAN, min((p + 1)·SPAN, TOTAL), …args). Any thread may run any part; the unclaimed ones are the
// range [front, back) in NEXT = (GEN tag << 16) | (front << 8) | back, and a thread claims one by a
// compare-and-swap of NEXT: the calling thread takes parts from the front, pool threads from the back.
//
//   parts:   0 1 2 3 | 4 5 6 7        calling thread →          ← pool threads
//
// NOTE: from both ends, because a quiet machine then gives each thread the same parts task after task (about
// half each), so the slices of weights, gradients and optimizer slots a thread updates stay in its core's cache
// from one step to the next; a thread that falls behind still leaves its parts to the other. The tag keeps a
// thread that woke late for an older task from claiming a part of a newer one; and where the 16-bit tag has
// come round again, a pool thread re-reads GEN after its claim (GEN cannot move on while a claimed part is
// unfinished) and takes the newer task's description first. The calling thread claims parts too, so a pool
// thread that the OS has not scheduled yet costs nothing but its share: the calling thread runs the parts no
// one has claimed. More parts than threads keep that share small.

/** Most threads a pool runs (the calling thread included); "auto" and larger counts are capped here. */
export const MAX_THREADS = 64;
/** Most arguments of a task, start and end included (gemmRange takes 15). */
export const MAX_ARGS = 16;
/** Most parts of one task (front and back have 8 bits each in NEXT). */
export const MAX_PARTS = 255;

/**
 * Int32 word indices. NOTE: the words the threads write while a task runs sit on cache lines of their own (16
 * words = 64 bytes): pool threads poll GEN between tasks, so anything else on its line would be pulled back and
 * forth between cores on every write, and on this 2-vCPU machine a line crossing cores costs ~0.5 µs.
 */
export const CONTROL = {
  /** Task counter; pool threads poll it, then sleep on it. Line 0. */
  GEN: 0,
  /** (GEN tag << 16) | (front << 8) | back: the unclaimed parts [front, back). Line 1. */
  NEXT: 16,
  /** Parts of the current task finished. Line 2. */
  COMPLETED: 32,
  /** Line 3, the task's description, written by the calling thread before GEN: index into TASK_NAMES … */
  KIND: 48,
  /** … arguments after start and end, the range [0, TOTAL) and the length of a part, the parts (≤ MAX_PARTS). */
  ARGC: 49,
  TOTAL: 50,
  SPAN: 51,
  PARTS: 52,
  /** Non-zero: threads leave their loop at the next mailbox change. */
  STOP: 53,
  /** Non-zero: index of a thread whose task threw (the calling thread reports it). */
  ERROR: 54,
  /** Pool threads asleep in Atomics.wait on GEN (the calling thread notifies only when there are some). */
  SLEEPERS: 55,
  /** Non-zero while the calling thread sleeps in Atomics.wait on COMPLETED. */
  CALLER_WAITING: 56,
  /** Non-zero: threads time their tasks into the profile lines (a measurement; off by default). */
  PROFILE: 57,
  /** Parts the pool threads (not the calling thread) have run since the pool started: a statistic. Line 4. */
  WORKER_PARTS: 64,
} as const;

/** GEN as it appears in NEXT (16 bits: a pool thread re-reads GEN after a claim, so wrapping is harmless). */
export const GEN_TAG_MASK = 0xffff;

/** The argument row: lines 5 and 6. */
export const ARGS_BYTE_OFFSET = 80 * 4;
/**
 * Profile lines, one per thread (index × 8 float64): PROFILE_SLOTS. Thread 0's PUBLISHED slot holds when the
 * current task was handed out (performance.timeOrigin + now(), ms), so that a pool thread can tell how late it
 * saw it.
 */
export const PROFILE_BYTE_OFFSET = ARGS_BYTE_OFFSET + MAX_ARGS * 8;
export const PROFILE_SLOTS = {
  /** ms spent running parts (pool threads: from seeing the task to finishing their last part). */
  BUSY_MS: 0,
  /** ms from the hand-off to the pool thread seeing the task, summed over tasks it saw. */
  LAG_MS: 1,
  /** Tasks the thread saw, and tasks in which it ran at least one part. */
  SEEN: 2,
  WORKED: 3,
  /** Thread 0: when the current task was handed out. */
  PUBLISHED: 4,
} as const;
export const CONTROL_BYTES = PROFILE_BYTE_OFFSET + MAX_THREADS * 64;

/** Range kernels a pool thread can run (assembly/variants.ts), by the index the calling thread writes to KIND. */
export const TASK_NAMES = ["gemmRange", "adamRange", "sgdRange", "activationBackwardRange"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/**
 * How long a pool thread polls for the next task before it sleeps in Atomics.wait, in ms of its own clock.
 * NOTE: waking a sleeping thread costs a futex call plus the scheduler's delay (tens of µs when idle, up to a
 * time slice on a busy machine), longer than many of a training step's kernels. A step issues its kernel calls
 * microseconds apart and fit starts the next step after well under a millisecond of JavaScript, so a thread
 * that polls for 1 ms stays awake through a whole fit or predict loop, and sleeps 1 ms after the last kernel.
 */
export const SPIN_MS = 1;
