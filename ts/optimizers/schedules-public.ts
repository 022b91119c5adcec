// optimizers.schedules: Keras's schedule classes and tfjs-style factories.
export {
  LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay,
  exponentialDecay, piecewiseConstantDecay, cosineDecay, inverseTimeDecay,
} from "./schedules.js";
