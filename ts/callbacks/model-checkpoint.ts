/**
 * ModelCheckpoint (Keras 3's keras/src/callbacks/model_checkpoint.py): saves the model, or its weights, every
 * epoch or every `saveFreq` batches, at a filepath filled from the epoch, the batch and the logs with Python's
 * format syntax (`"ckpt/{epoch:02d}-{val_loss:.2f}"`, see filepath-template.ts).
 *
 * - saveBestOnly: save only when `monitor` improves on the best so far (mode "min", "max", or "auto" from the
 *   name); a missing monitor saves anyway, with Keras's warning. initialValueThreshold sets the first best.
 * - saveWeightsOnly: no optimizer state and training config. Where Keras requires `.weights.h5` / `.keras`
 *   paths, densa also takes a folder (TensorFlow.js Layers format: model.json + weights.bin, each replaced
 *   atomically) and any save handler; see checkpoint-files.ts for every target.
 */
import { warnOnce } from "../utils/describe.js";
import { checkBoolean, checkChoice, checkNumber, checkOneOf, checkOptionKeys, checkString } from "../utils/options.js";
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { formatFixed } from "../utils/python-format.js";
import { Callback, type Logs } from "./callback.js";
import { type CheckpointModel, type SaveHandlerLike, saveCheckpoint } from "./checkpoint-files.js";
import { fillTemplate, type TemplateValue } from "./filepath-template.js";
import { MONITOR_MODES, type MonitorMode, resolveMonitorMode, unknownDirectionError } from "./monitor.js";
import { BatchSaveCounter, checkSaveFrequency, type SaveFrequency } from "./save-frequency.js";

export interface ModelCheckpointOptions {
  /** Default "val_loss". */
  monitor?: string;
  /** 1 prints a line for every save and every epoch that did not improve. Default 0. */
  verbose?: 0 | 1;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** "epoch" (default) or a number of batches. */
  saveFreq?: SaveFrequency;
  /** The best value to beat at the start (saveBestOnly). */
  initialValueThreshold?: number | null;
  output?: OutputWriter;
}

const FN = "ModelCheckpoint";
const OPTIONS = [
  "monitor",
  "verbose",
  "saveBestOnly",
  "saveWeightsOnly",
  "mode",
  "saveFreq",
  "initialValueThreshold",
  "output",
];

export class ModelCheckpoint extends Callback {
  /** The filepath template, or a save handler. */
  readonly filepath: string | SaveHandlerLike;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: SaveFrequency;
  /** The best monitored value so far (saveBestOnly). */
  best: number | undefined;
  private direction: "min" | "max" | undefined;
  private currentEpoch = 0;
  private readonly counter: BatchSaveCounter;
  private output: OutputWriter | undefined;

  constructor(filepath: string | SaveHandlerLike, options: ModelCheckpointOptions = {}) {
    super();
    const handler =
      typeof filepath === "object" && filepath !== null && typeof (filepath as SaveHandlerLike).save === "function";
    if (!handler && (typeof filepath !== "string" || filepath.length === 0)) {
      throw new Error(
        `${FN}: filepath must be a non-empty path (or file:// URL) or an object with save(artifacts), got ${JSON.stringify(filepath) ?? String(filepath)}`,
      );
    }
    checkOptionKeys(FN, options, OPTIONS);
    this.filepath = filepath;
    this.monitor = checkString(FN, "monitor", options.monitor ?? "val_loss");
    this.verbose = checkOneOf(FN, "verbose", options.verbose ?? 0, [0, 1] as const);
    this.saveBestOnly = checkBoolean(FN, "saveBestOnly", options.saveBestOnly ?? false);
    this.saveWeightsOnly = checkBoolean(FN, "saveWeightsOnly", options.saveWeightsOnly ?? false);
    this.mode = checkChoice(FN, "mode", options.mode ?? "auto", MONITOR_MODES);
    this.saveFreq = checkSaveFrequency(FN, options.saveFreq);
    const threshold = options.initialValueThreshold;
    this.best =
      threshold === undefined || threshold === null ? undefined : checkNumber(FN, "initialValueThreshold", threshold);
    this.counter = new BatchSaveCounter(this.saveFreq);
    this.output = options.output;
  }

  override onTrainBegin(): void {
    // NOTE: Keras resolves "auto" at the first epoch end; densa does it here, so a bad monitor fails before training.
    this.direction = resolveMonitorMode(this.monitor, this.mode, this.model);
    if (!this.direction && this.saveBestOnly) throw unknownDirectionError(FN, this.monitor);
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): Promise<void> | void {
    if (this.counter.shouldSave(batch)) return this.save(this.currentEpoch, batch, logs);
  }

  override onEpochEnd(epoch: number, logs: Logs): Promise<void> | void {
    if (this.saveFreq === "epoch") return this.save(epoch, null, logs);
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const target = this.target(epoch, batch, logs);
    const where = typeof target === "string" ? target : "the save handler";
    if (!this.shouldSave(epoch, logs, where)) return;
    await saveCheckpoint(this.requireModel() as unknown as CheckpointModel, target, this.saveWeightsOnly, FN);
  }

  /** The filled-in filepath: epoch and batch 1-based, every log key; Keras's `batch` from the logs wins. */
  private target(epoch: number, batch: number | null, logs: Logs): string | SaveHandlerLike {
    if (typeof this.filepath !== "string") return this.filepath;
    const values: Record<string, TemplateValue> = {};
    for (const [key, value] of Object.entries(logs)) values[key] = { value, integer: false };
    values.epoch = { value: epoch + 1, integer: true };
    if (batch !== null && !("batch" in logs)) values.batch = { value: batch + 1, integer: true };
    return fillTemplate(this.filepath, values, FN);
  }

  /** Keras's _should_save_model, with its messages. */
  private shouldSave(epoch: number, logs: Logs, where: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: saving model to ${where}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      warnOnce(
        `${FN}: can save best model only with ${this.monitor} available (the logs have ${Object.keys(logs).join(", ")}); saving anyway`,
      );
      return true;
    }
    const bestText = this.best === undefined ? "None" : formatFixed(this.best, 5);
    // NOTE: as Keras's MonitorCallback._is_improvement: with no best yet, anything is an improvement.
    const improved = this.best === undefined || (this.direction === "max" ? current > this.best : current < this.best);
    if (improved) {
      if (this.verbose > 0)
        this.print(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${formatFixed(current, 5)}, saving model to ${where}`,
        );
      this.best = current;
      return true;
    }
    if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private print(line: string): void {
    this.output ??= defaultOutput();
    this.output.write(line + "\n");
  }
}
