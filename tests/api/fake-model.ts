// A stand-in for the model in callback tests: weights are one scalar that the driver sets to the epoch index,
// so "which epoch's weights are these" is directly visible.
import type { Callback, Logs, TrainingModel } from "../../ts/callbacks/callback.js";
import { CallbackList } from "../../ts/callbacks/callback-list.js";
import { type Tensor, tensor } from "../../ts/tensor.js";

export class FakeModel implements TrainingModel {
  stopTraining = false;
  weights: Tensor[] = [tensor([-1])];
  optimizer = { learningRate: 0.01 };
  directions: Record<string, "up" | "down"> = {};

  getWeights(): Tensor[] {
    return this.weights.map((w) => tensor(w.data.slice(), w.shape));
  }
  setWeights(weights: Tensor[]): void {
    this.weights = weights;
  }
  metricDirection(name: string): "up" | "down" | undefined {
    return this.directions[name];
  }
  /** The scalar weight (the epoch whose weights these are). */
  get weightEpoch(): number {
    return this.weights[0].data[0];
  }
}

/**
 * Runs the fit call order over scripted epoch logs (one object per epoch): weights become the epoch index
 * before onEpochEnd. Returns the number of epochs run. `stopAt` simulates another callback stopping training.
 */
export async function runEpochs(
  model: FakeModel,
  callbacks: Callback[],
  epochLogs: Logs[],
  options: { stopAt?: number; initialEpoch?: number } = {},
): Promise<number> {
  const list = new CallbackList(callbacks, { model, params: { epochs: epochLogs.length, steps: 1, verbose: 0 } });
  model.stopTraining = false;
  await list.onTrainBegin();
  let ran = 0;
  let last: Logs = {};
  for (let epoch = options.initialEpoch ?? 0; epoch < epochLogs.length; epoch++) {
    await list.onEpochBegin(epoch);
    model.weights = [tensor([epoch])];
    last = { ...epochLogs[epoch] };
    await list.onEpochEnd(epoch, last);
    ran++;
    if (epoch === options.stopAt) model.stopTraining = true;
    if (model.stopTraining) break;
  }
  await list.onTrainEnd(last);
  return ran;
}
