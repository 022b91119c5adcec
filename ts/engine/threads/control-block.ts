// Layout of the SharedArrayBuffer through which the calling thread hands tasks to the pool threads
// (worker-source.ts is the other side). Int32 words first, then one Float64 row of arguments per part.
//
//   words: COMPLETED  STOP  ERROR  KIND  ARGC  PARTS  GEN  NEXT  WORKER_PARTS  (pad to 16)
//   args:  row p = MAX_ARGS float64 at ARGS_BYTE_OFFSET + p·MAX_ARGS·8   (i32 and f32 arguments are exact in f64)
//
// A task is PARTS parts. Any thread may run any part: it claims the next one by a compare-and-swap of NEXT,
// which holds (GEN << 8) | next part, so a thread that woke late for an older task can never claim a part of a
// newer one. The calling thread claims parts too, so a pool thread that the OS has not scheduled yet costs a
// part's time at most, never a wait (the calling thread does the part itself).

/** Most threads a pool runs (the calling thread included); "auto" and larger counts are capped here. */
export const MAX_THREADS = 64;
/** Most arguments of a task (gemmBlock takes 15). */
export const MAX_ARGS = 16;

export const CONTROL = {
  /** Parts of the current task finished. */
  COMPLETED: 0,
  /** Non-zero: threads leave their loop at the next mailbox change. */
  STOP: 1,
  /** Non-zero: index of a thread whose task threw (the calling thread reports it). */
  ERROR: 2,
  /** Index into TASK_NAMES of the current task. */
  KIND: 3,
  ARGC: 4,
  /** Parts of the current task (≤ MAX_THREADS). */
  PARTS: 5,
  /** Task counter; pool threads sleep on it. */
  GEN: 6,
  /** (GEN << 8) | the next unclaimed part. */
  NEXT: 7,
  /** Parts the pool threads (not the calling thread) have run since the pool started: a statistic. */
  WORKER_PARTS: 8,
} as const;

/** GEN as it appears in NEXT (24 bits; wraps after 16 M tasks, far beyond any thread's lag). */
export const GEN_MASK = 0xffffff;

export const ARGS_BYTE_OFFSET = 16 * 4;
export const CONTROL_BYTES = ARGS_BYTE_OFFSET + MAX_THREADS * MAX_ARGS * 8;

/** Kernels a pool thread can run, by the index the calling thread writes to KIND. */
export const TASK_NAMES = ["gemmBlock", "activationForward", "activationBackward", "adamUpdate", "sgdUpdate"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/**
 * Atomics.load polls before a pool thread sleeps in Atomics.wait (roughly 50–100 µs of polling). NOTE: a training
 * step issues its kernel calls a few microseconds apart, and waking a sleeping thread costs a futex call plus the
 * scheduler's delay (tens of µs when idle, up to a time slice on a loaded machine), so threads poll through the
 * gaps of a step and sleep between steps that are further apart.
 */
export const SPIN_BEFORE_WAIT = 20000;
