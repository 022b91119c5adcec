/**
 * Where a running fit is, and a way to send it back there: what BackupAndRestore saves after a step or an epoch
 * and hands back at the start of the next fit, so that a run killed in the middle of an epoch continues with the
 * very batch, shuffle order and dropout draws it would have had (the weights and the optimizer's state are saved
 * beside it through the model).
 */

/** A JSON-compatible snapshot of fit's loop. */
export interface TrainingRunState {
  /** The epoch in progress (0-based), or the next one to start when `step` is 0. */
  epoch: number;
  /** Batches of `epoch` already trained. */
  step: number;
  /** The epoch's running loss so far: the sum of batch loss × rows, and the rows. */
  lossTotal: number;
  seen: number;
  /** Where the batch stream stands (array data: shuffle seed, pass, batch), or null for a data set. */
  stream: StreamPosition | null;
  /** The bytes of the generator dropout draws from, or null when the model has no dropout. */
  generator: number[] | null;
}

/** Array data: the seed of the shuffles, the pass over the data (= epoch without stepsPerEpoch) and the next batch. */
export interface StreamPosition {
  shuffleSeed: number;
  pass: number;
  cursor: number;
}

/** fit's side: callbacks read a snapshot (during a batch or epoch hook) and ask for a resume (in onTrainBegin). */
export interface TrainingRun {
  snapshot(): TrainingRunState;
  resumeFrom(state: TrainingRunState): void;
}

/** Checks a snapshot read back from a file; throws `${fn}: …` for anything that is not one. */
export function checkTrainingRunState(value: unknown, fn: string): TrainingRunState {
  const state = value as TrainingRunState;
  const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  const ok =
    typeof state === "object" &&
    state !== null &&
    count(state.epoch) &&
    count(state.step) &&
    count(state.seen) &&
    typeof state.lossTotal === "number" &&
    (state.stream === null ||
      (typeof state.stream === "object" &&
        count(state.stream.pass) &&
        count(state.stream.cursor) &&
        Number.isFinite(state.stream.shuffleSeed))) &&
    (state.generator === null ||
      (Array.isArray(state.generator) &&
        state.generator.every((byte) => Number.isInteger(byte) && byte >= 0 && byte < 256)));
  if (!ok)
    throw new Error(`${fn}: the backup's training state is malformed, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return state;
}
