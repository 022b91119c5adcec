import type { TrainingRun, TrainingRunState } from "../callbacks/training-run.js";
import { globalGenerator, type RandomGenerator } from "../engine/random.js";
import type { BatchStream } from "./batch-stream.js";

/**
 * fit's TrainingRun: the loop reports where it is after every step (`at`, four stores, no allocation), a callback
 * takes a snapshot of that, and a resume asked for in onTrainBegin puts the stream and the noise layers' generator back
 * around beginEpoch of the resumed epoch.
 */
export class LoopPosition implements TrainingRun {
  private epoch = 0;
  private step = 0;
  private lossTotal = 0;
  private seen = 0;
  private pending: TrainingRunState | null = null;

  /**
   * `generator`: fit's seeded one; null means noise layers (Dropout, GaussianNoise, …) draw from the process-wide
   * generator. NOTE: its state is saved whether or not the model has such layers (a few bytes): nested models
   * and layers applied inside them count too, and nothing else draws from it during fit.
   */
  constructor(
    private readonly stream: BatchStream,
    private readonly generator: RandomGenerator | null,
  ) {}

  at(epoch: number, step: number, lossTotal: number, seen: number): void {
    this.epoch = epoch;
    this.step = step;
    this.lossTotal = lossTotal;
    this.seen = seen;
  }

  snapshot(): TrainingRunState {
    return {
      epoch: this.epoch,
      step: this.step,
      lossTotal: this.lossTotal,
      seen: this.seen,
      stream: this.stream.position?.() ?? null,
      generator: Array.from(this.noiseGenerator().saveState()),
    };
  }

  resumeFrom(state: TrainingRunState): void {
    this.pending = state;
  }

  /** The resume a callback asked for in onTrainBegin, once. */
  takeResume(): TrainingRunState | null {
    const state = this.pending;
    this.pending = null;
    return state;
  }

  /**
   * Before beginEpoch of the resumed epoch: a backup taken between epochs puts the stream where the last epoch
   * left it, and beginEpoch then moves on as it would have (a new pass; with stepsPerEpoch, the pass goes on).
   */
  restoreBeforeEpoch(state: TrainingRunState): void {
    if (state.step === 0 && state.stream && this.stream.seek) this.stream.seek(state.stream);
    this.restoreGenerator(state);
  }

  /**
   * After beginEpoch of the resumed epoch, for a backup taken within it: the stream at the saved batch (array
   * data), or that many batches read and dropped (a data set). Returns the first step to train.
   */
  async restoreInEpoch(state: TrainingRunState): Promise<number> {
    if (state.step === 0) return 0;
    if (state.stream && this.stream.seek) {
      this.stream.seek(state.stream);
    } else {
      for (let step = 0; step < state.step; step++) if ((await this.stream.next(step)) === null) break;
    }
    return state.step;
  }

  private restoreGenerator(state: TrainingRunState): void {
    if (state.generator) this.noiseGenerator().restoreState(Uint8Array.from(state.generator));
  }

  private noiseGenerator(): RandomGenerator {
    return this.generator ?? globalGenerator();
  }
}
