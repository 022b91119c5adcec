// optimizers.schedules: Keras's schedule classes and tfjs-style factories.
export {
  CosineDecay,
  cosineDecay,
  ExponentialDecay,
  exponentialDecay,
  InverseTimeDecay,
  inverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  piecewiseConstantDecay,
} from "./schedules.js";
