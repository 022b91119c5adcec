// Layout of the SharedArrayBuffer through which the calling thread hands tasks to the pool threads
// (worker-source.ts is the other side). Int32 words first, then one Float64 row of arguments.
//
//   words: COMPLETED STOP ERROR KIND ARGC PARTS GEN NEXT WORKER_PARTS TOTAL SPAN SLEEPERS CALLER_WAITING (pad to 16)
//   args:  MAX_ARGS float64 at ARGS_BYTE_OFFSET   (i32 and f32 arguments are exact in f64)
//
// A task is one range kernel (kernel(start, end, …args)) over [0, TOTAL) cut into PARTS parts of SPAN: part p
// runs kernel(p·SPAN, min((p + 1)·SPAN, TOTAL), …args). Any thread may run any part: it claims the next one by a
// compare-and-swap of NEXT, which holds (GEN << 8) | next part, so a thread that woke late for an older task can
// never claim a part of a newer one (nor run it with the newer task's arguments half written). The calling
// thread claims parts too, so a pool thread that the OS has not scheduled yet costs nothing but its share: the
// calling thread runs the parts no one has claimed. More parts than threads keep that share small.

/** Most threads a pool runs (the calling thread included); "auto" and larger counts are capped here. */
export const MAX_THREADS = 64;
/** Most arguments of a task, start and end included (gemmRange takes 15). */
export const MAX_ARGS = 16;
/** Most parts of one task (the part index has 8 bits in NEXT). */
export const MAX_PARTS = 255;

export const CONTROL = {
  /** Parts of the current task finished. */
  COMPLETED: 0,
  /** Non-zero: threads leave their loop at the next mailbox change. */
  STOP: 1,
  /** Non-zero: index of a thread whose task threw (the calling thread reports it). */
  ERROR: 2,
  /** Index into TASK_NAMES of the current task. */
  KIND: 3,
  /** Arguments after start and end. */
  ARGC: 4,
  /** Parts of the current task (≤ MAX_PARTS). */
  PARTS: 5,
  /** Task counter; pool threads spin on it, then sleep on it. */
  GEN: 6,
  /** (GEN << 8) | the next unclaimed part. */
  NEXT: 7,
  /** Parts the pool threads (not the calling thread) have run since the pool started: a statistic. */
  WORKER_PARTS: 8,
  /** The range [0, TOTAL) the task covers, and the length of a part. */
  TOTAL: 9,
  SPAN: 10,
  /** Pool threads asleep in Atomics.wait on GEN (the calling thread notifies only when there are some). */
  SLEEPERS: 11,
  /** Non-zero while the calling thread sleeps in Atomics.wait on COMPLETED. */
  CALLER_WAITING: 12,
} as const;

/** GEN as it appears in NEXT (24 bits; wraps after 16 M tasks, far beyond any thread's lag). */
export const GEN_MASK = 0xffffff;

export const ARGS_BYTE_OFFSET = 16 * 4;
export const CONTROL_BYTES = ARGS_BYTE_OFFSET + MAX_ARGS * 8;

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
