// Keras-style callbacks; one class a file.

export { BackupAndRestore, type BackupAndRestoreOptions } from "./backup-and-restore.js";
export { Callback, type HookResult, type Logs, type TrainingModel, type TrainingParams } from "./callback.js";
export { CallbackList, type CallbackListOptions } from "./callback-list.js";
export { CSVLogger, type CSVLoggerOptions, type CsvSink } from "./csv-logger.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./early-stopping.js";
export { History } from "./history.js";
export { LambdaCallback, type LambdaCallbackOptions } from "./lambda-callback.js";
export { LearningRateScheduler, type Schedule } from "./learning-rate-scheduler.js";
export { ModelCheckpoint, type ModelCheckpointOptions } from "./model-checkpoint.js";
export type { MonitorMode } from "./monitor.js";
export { ProgressBar, type ProgressBarOptions } from "./progress-bar.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./reduce-lr-on-plateau.js";
export { TerminateOnNaN } from "./terminate-on-nan.js";
