// The options of trainOnBatch and testOnBatch, as the public API documents them.
import type { TensorLike } from "../tensor.js";

export interface TrainOnBatchOptions {
  sampleWeight?: TensorLike;
  classWeight?: Record<number, number> | Map<number, number>;
}

export interface TestOnBatchOptions {
  sampleWeight?: TensorLike;
}
