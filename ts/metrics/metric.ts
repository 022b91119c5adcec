/** Where one batch's predictions and targets sit in wasm memory, for metrics to read. */
export interface BatchView {
  rows: number;
  /** Outputs per sample. */
  cols: number;
  predictions: number;
  /** rows × cols floats, or rows int32 class indices when sparseTargets. */
  targets: number;
  sparseTargets: boolean;
  /** rows floats, or 0 for all ones. */
  sampleWeights: number;
}

/**
 * A Keras metric: state accumulated over batches (update), read as one number (result), cleared at each
 * epoch (reset). Totals are kept in JS float64; the per-batch counting runs in the kernels.
 */
export abstract class Metric {
  abstract readonly className: string;
  constructor(readonly name: string) {}
  abstract update(batch: BatchView): void;
  abstract result(): number;
  abstract reset(): void;
  /** Frees any wasm memory the metric holds. */
  dispose(): void {}
  getConfig(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: { name: this.name } };
  }
}

/** A weighted mean: Σ values / Σ weights, Keras's Mean / MeanMetricWrapper state. */
export abstract class MeanMetric extends Metric {
  protected total = 0;
  protected count = 0;
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
