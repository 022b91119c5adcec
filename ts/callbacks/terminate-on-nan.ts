/**
 * TerminateOnNaN: stops training at the end of a batch whose loss is NaN or ±Infinity (Keras 3's
 * terminate_on_nan.py). With raiseError, throws instead, so onTrainEnd of other callbacks does not run.
 */

import { checkBoolean, checkOptionKeys } from "../utils/options.js";
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { formatFloatRepr } from "../utils/python-format.js";
import { Callback, type Logs } from "./callback.js";

export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;
  private output: OutputWriter | undefined;

  constructor(options: { raiseError?: boolean; output?: OutputWriter } = {}) {
    super();
    checkOptionKeys("TerminateOnNaN", options, ["raiseError", "output"]);
    this.raiseError = checkBoolean("TerminateOnNaN", "raiseError", options.raiseError ?? false);
    this.output = options.output;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new Error(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${formatFloatRepr(loss)}. Terminating training immediately.`,
      );
    }
    this.output ??= defaultOutput();
    this.output.write(`Batch ${batch}: Invalid loss, terminating training\n`);
    this.requireModel().stopTraining = true;
  }
}
