// The `optimizers` namespace of the public API: Keras's classes, and its learning-rate schedules.

export type {
  AdadeltaArgs,
  AdagradArgs,
  AdamArgs,
  AdamaxArgs,
  NadamArgs,
  OptimizerArgs,
  RMSpropArgs,
  SGDArgs,
} from "./index.js";
export {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  LearningRateSchedule,
  Nadam,
  Optimizer,
  RMSprop,
  SGD,
} from "./index.js";
export * as schedules from "./schedules-public.js";
