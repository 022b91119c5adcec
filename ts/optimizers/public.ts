// The `optimizers` namespace of the public API: Keras's classes, and its learning-rate schedules.
export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, LearningRateSchedule } from "./index.js";
export type { OptimizerArgs, SGDArgs, AdamArgs, RMSpropArgs, AdagradArgs, AdadeltaArgs, AdamaxArgs, NadamArgs } from "./index.js";
export * as schedules from "./schedules-public.js";
