/**
 * BackupAndRestore (Keras 3's keras/src/callbacks/backup_and_restore.py), made exact: the backup holds the
 * weights, the optimizer's state and fit's loop position — epoch, batch within it, running loss, the shuffle
 * seed and pass, and the dropout generator's state — so a fit killed in the middle of an epoch and started again
 * with the same arguments continues at the batch after the last backup and ends with the same bits as a run
 * that was never interrupted (Keras itself restarts the interrupted epoch).
 *
 * - onTrainBegin: a backup in backupDir is restored (weights, optimizer, position); none means a fresh start.
 * - saveFreq "epoch": a backup after every epoch; an integer n: after every n batches (counted across epochs).
 * - Each backup is one file, `backupDir/latest.backup`, replaced atomically: a kill during a save leaves the
 *   previous backup whole (which is why Keras's second, `_latest` copy is not needed).
 * - onTrainEnd: with deleteCheckpoint (default), backupDir is removed, as Keras does — give it a folder of its own.
 * A run that resumes must get the same data, batch size, model and compile arguments; for the same dropout and
 * shuffle draws either pass `seed` to fit or call setRandomSeed before building the model.
 */
import type { ModelArtifacts } from "../io/types.js";
import type { OptimizerWeight } from "../optimizers/optimizer.js";
import { tensor } from "../tensor.js";
import { removePath } from "../utils/node-file.js";
import { checkBoolean, checkOptionKeys } from "../utils/options.js";
import { Callback, type Logs } from "./callback.js";
import { readBackup, toFilePath, writeBackup } from "./checkpoint-files.js";
import { BatchSaveCounter, checkSaveFrequency, type SaveFrequency } from "./save-frequency.js";

export interface BackupAndRestoreOptions {
  /** The folder for the backup (a path or file:// URL); BackupAndRestore owns it and removes it at the end. */
  backupDir: string;
  /** "epoch" (default) or a number of batches. */
  saveFreq?: SaveFrequency;
  /** Remove backupDir when training ends (default true). */
  deleteCheckpoint?: boolean;
}

/** What restoring needs of the model: its layers' variables, the compiled optimizer and save(). */
interface RestorableModel {
  built: boolean;
  layers: readonly {
    weights: readonly { name: string; shape: readonly number[] }[];
    trainableWeights: readonly object[];
  }[];
  optimizer: { setWeights(variables: readonly object[], weights: readonly OptimizerWeight[]): void } | null;
  setWeights(weights: ReturnType<typeof tensor>[]): void;
  save(options: { includeOptimizer: boolean }): Promise<ModelArtifacts>;
}

const FN = "BackupAndRestore";
export const BACKUP_FILE = "latest.backup";

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: SaveFrequency;
  readonly deleteCheckpoint: boolean;
  private readonly counter: BatchSaveCounter;

  constructor(options: BackupAndRestoreOptions) {
    super();
    checkOptionKeys(FN, options, ["backupDir", "saveFreq", "deleteCheckpoint"]);
    const backupDir = (options as BackupAndRestoreOptions | undefined)?.backupDir;
    if (typeof backupDir !== "string" || backupDir.length === 0) {
      throw new Error(
        `${FN}: backupDir must be a non-empty folder path, got ${JSON.stringify(backupDir) ?? String(backupDir)}`,
      );
    }
    this.backupDir = toFilePath(backupDir).replace(/\/+$/, "") || "/";
    this.saveFreq = checkSaveFrequency(FN, options.saveFreq);
    this.deleteCheckpoint = checkBoolean(FN, "deleteCheckpoint", options.deleteCheckpoint ?? true);
    this.counter = new BatchSaveCounter(this.saveFreq);
  }

  private get backupPath(): string {
    return `${this.backupDir}/${BACKUP_FILE}`;
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.requireModel() as unknown as RestorableModel;
    if (!this.trainingRun) throw new Error(`${FN}: runs inside model.fit() only`);
    const backup = await readBackup(this.backupPath, FN);
    if (!backup) return;
    if (!model.built) {
      throw new Error(
        `${FN}: the model must be built before fit to restore a backup (give its first layer an inputShape, or call build())`,
      );
    }
    const modelWeights = backup.weights.filter((weight) => weight.group !== "optimizer");
    const optimizerWeights = backup.weights.filter((weight) => weight.group === "optimizer");
    const variables = model.layers.flatMap((layer) => layer.weights);
    if (modelWeights.length !== variables.length) {
      throw new Error(
        `${FN}: the backup in ${this.backupDir} holds ${modelWeights.length} weights but the model has ${variables.length}; was it made by another model?`,
      );
    }
    model.setWeights(modelWeights.map((weight) => tensor(weight.values as Float32Array, weight.shape)));
    if (optimizerWeights.length > 0 && model.optimizer) {
      // NOTE: weights are matched by position, as Keras's load_weights; the optimizer's slots are named after
      // their variables ("dense_2/kernel/m"), so they take the names of this model's variables at those places.
      const renamed = new Map(modelWeights.map((weight, i) => [weight.name, variables[i].name]));
      const slots = optimizerWeights.map((weight) => {
        const cut = weight.name.lastIndexOf("/");
        const current = cut > 0 ? renamed.get(weight.name.slice(0, cut)) : undefined;
        return { ...weight, name: current ? `${current}${weight.name.slice(cut)}` : weight.name };
      });
      model.optimizer.setWeights(
        model.layers.flatMap((layer) => layer.trainableWeights),
        slots as OptimizerWeight[],
      );
    }
    this.trainingRun.resumeFrom(backup.state);
  }

  override onBatchEnd(batch: number): Promise<void> | void {
    if (this.counter.shouldSave(batch)) return this.backUp();
  }

  override onEpochEnd(_epoch: number, _logs: Logs): Promise<void> | void {
    this.counter.endEpoch();
    if (this.saveFreq === "epoch") return this.backUp();
  }

  override async onTrainEnd(): Promise<void> {
    if (this.deleteCheckpoint) await removePath(this.backupDir, FN);
  }

  private async backUp(): Promise<void> {
    const model = this.requireModel() as unknown as RestorableModel;
    // NOTE: the snapshot first: save() awaits nothing that moves the loop, but reading the position before the
    // weights keeps the two from the same instant by construction.
    const state = this.trainingRun!.snapshot();
    const artifacts = await model.save({ includeOptimizer: model.optimizer !== null });
    await writeBackup(this.backupPath, state, artifacts, FN);
  }
}
