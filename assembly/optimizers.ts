// Optimizer updates and the kernels the training loop runs around them, one concept a file:
//   optimizers-sgd.ts          SGD (momentum, Nesterov), RMSprop, Adagrad, Adadelta
//   optimizers-adam.ts         Adam (AMSGrad; AdamW = Adam + weight decay), Adamax, Nadam
//   optimizers-clip.ts         clipnorm, global_clipnorm, clipvalue
//   optimizers-regularizers.ts L1/L2 penalty and its gradient
//   optimizers-constraints.ts  MaxNorm, UnitNorm, MinMaxNorm, NonNeg
// Shared conventions (step numbering, weight decay, f32 scalars) are in optimizers-common.ts.
export * from "./optimizers-sgd";
export * from "./optimizers-adam";
export * from "./optimizers-clip";
export * from "./optimizers-regularizers";
export * from "./optimizers-constraints";
