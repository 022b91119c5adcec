import type { TrainingModel } from "./callback.js";

/** The model's optimizer, for the callbacks that set its learning rate, or an error saying it needs compiling. */
export function optimizerOf(model: TrainingModel, fn: string): { learningRate: number } {
  const optimizer = model.optimizer;
  if (!optimizer || typeof optimizer.learningRate !== "number") {
    throw new Error(`${fn}: the model has no optimizer with a learningRate; compile the model before fit`);
  }
  return optimizer;
}
