/**
 * History: records each epoch's logs. fit adds one automatically and returns it, as Keras does.
 *   history.history.loss, history.history.val_accuracy, history.epoch, history.params
 */
import { Callback, type Logs } from "./callback.js";

export class History extends Callback {
  /** Metric name → one value per epoch that reported it (Keras's keys: loss, accuracy, val_loss, …). */
  history: Record<string, number[]> = {};
  /** Epoch indices run (0-based, starting at initialEpoch). */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const key of Object.keys(logs)) (this.history[key] ??= []).push(logs[key]);
  }
}
