import { checkNumber } from "../utils/options.js";

export type SaveFrequency = "epoch" | number;

/** "epoch" or a positive integer of batches, as Keras's save_freq. */
export function checkSaveFrequency(fn: string, value: unknown): SaveFrequency {
  if (value === undefined || value === "epoch") return "epoch";
  if (typeof value !== "number")
    throw new Error(
      `${fn}: saveFreq must be "epoch" or a positive integer of batches, got ${JSON.stringify(value) ?? String(value)}`,
    );
  return checkNumber(fn, "saveFreq", value, { integer: true, min: 1 });
}

/**
 * Keras's _should_save_on_batch (ModelCheckpoint and BackupAndRestore): counts the batches seen since the last
 * save across epochs — a batch index at or below the last one starts a new epoch — and says when `every` are up.
 */
export class BatchSaveCounter {
  private sinceLastSave = 0;
  private lastBatch = 0;

  constructor(private readonly every: SaveFrequency) {}

  shouldSave(batch: number): boolean {
    if (this.every === "epoch") return false;
    this.sinceLastSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.sinceLastSave < this.every) return false;
    this.sinceLastSave = 0;
    return true;
  }

  /** Keras's on_epoch_end of BackupAndRestore: the next epoch's batches count from 0. */
  endEpoch(): void {
    this.lastBatch = 0;
  }
}
