/** Which of a model's calls can be under way; see RunGuard.assertIdle. */
export interface Blockers {
  fit?: boolean;
  evaluate?: boolean;
  predict?: boolean;
}

/**
 * What runs on one model right now. fit and evaluate await callbacks and data sets, so other calls can come in
 * meanwhile (usually from a callback): a model runs one fit at a time and one evaluation at a time (evaluate and
 * fit's validation share the compiled metrics), and nothing may change its layers while fit, evaluate or predict
 * (whose callbacks run synchronously) is under way.
 *
 * It is also the one place that knows of a dispose() during an await: `dispose` frees the model's memory at once
 * when nothing runs, else once the last call has ended, and `checkNotDisposed` — which the loops call after every
 * await — stops a loop whose model was disposed meanwhile, so no loop ever runs on freed memory.
 */
export class RunGuard {
  private fitting = false;
  private evaluating = 0;
  private predicting = 0;
  private active = 0;
  private disposeRequested = false;

  constructor(
    private readonly modelName: string,
    /** Frees the model's memory; called once, by dispose() or when the last running call ends after it. */
    private readonly releaseMemory: () => void,
  ) {}

  /** The model's dispose(): frees now when idle, else when the last running call ends. */
  dispose(): void {
    if (this.disposeRequested) return;
    this.disposeRequested = true;
    if (this.active === 0) this.releaseMemory();
  }

  /** Throws `${fn}: the model … was disposed while ${fn} was running …` when a callback disposed the model. */
  checkNotDisposed(fn: string): void {
    if (this.disposeRequested) {
      throw new Error(`${fn}: the model "${this.modelName}" was disposed while ${fn} was running; ${fn} stopped there`);
    }
  }

  /** Throws `${fn}: the model … is training / evaluating / predicting …` when a blocking call is under way. */
  assertIdle(fn: string, blockers: Blockers): void {
    const name = this.modelName;
    if (blockers.predict && this.predicting > 0) {
      throw new Error(
        `${fn}: the model "${name}" is predicting (a callback of predict() called ${fn}); call ${fn} after predict returns`,
      );
    }
    if (blockers.fit && this.fitting) {
      throw new Error(
        `${fn}: the model "${name}" is training (a fit() call has not finished); call ${fn} after that fit() resolves`,
      );
    }
    if (blockers.evaluate && this.evaluating > 0) {
      throw new Error(
        `${fn}: the model "${name}" is evaluating (an evaluate() call or fit's validation has not finished, and they ` +
          `share the compiled metrics); call ${fn} after it resolves`,
      );
    }
  }

  /**
   * Runs an async fit / evaluate marked as under way. NOTE: the marks are set before the first await, so a
   * second call made at once already sees them; the caller checks its arguments before (a bad call never
   * marks the model busy).
   */
  async run<Result>(kind: "fit" | "evaluate", body: () => Promise<Result>): Promise<Result> {
    this.enter(kind);
    try {
      return await body();
    } finally {
      this.leave(kind);
    }
  }

  /** Runs a synchronous predict marked as under way. */
  runPredict<Result>(body: () => Result): Result {
    this.enter("predict");
    try {
      return body();
    } finally {
      this.leave("predict");
    }
  }

  /** Brackets fit's validation passes: they count as an evaluation. */
  setValidating(validating: boolean): void {
    this.evaluating += validating ? 1 : -1;
  }

  private enter(kind: "fit" | "evaluate" | "predict"): void {
    if (kind === "fit") this.fitting = true;
    else if (kind === "evaluate") this.evaluating++;
    else this.predicting++;
    this.active++;
  }

  private leave(kind: "fit" | "evaluate" | "predict"): void {
    if (kind === "fit") this.fitting = false;
    else if (kind === "evaluate") this.evaluating--;
    else this.predicting--;
    this.active--;
    if (this.active === 0 && this.disposeRequested) this.releaseMemory();
  }
}
