import { getEngine } from "../engine/engine.js";
import { type BatchView, Metric } from "./metric.js";

/** Keras's Precision / Recall at one threshold (0.5): weighted confusion counts over every output. */
export class ThresholdMetric extends Metric {
  private readonly counts = new Float64Array(4);
  private scratch = 0;

  constructor(
    readonly className: "Precision" | "Recall",
    name: string,
    readonly threshold = 0.5,
  ) {
    super(name);
    if (!(threshold >= 0 && threshold <= 1))
      throw new Error(`${className}: thresholds must be in [0, 1], got ${String(threshold)}`);
  }

  update(batch: BatchView): void {
    const engine = getEngine();
    this.scratch ||= engine.allocF32(4);
    engine.kernels.confusionCounts(
      batch.rows,
      batch.cols,
      batch.predictions,
      batch.targets,
      this.threshold,
      batch.sampleWeights,
      this.scratch,
    );
    const batchCounts = engine.view(this.scratch, 4);
    for (let i = 0; i < 4; i++) this.counts[i] += batchCounts[i];
  }

  result(): number {
    const [truePositives, falsePositives, , falseNegatives] = this.counts;
    const denominator = truePositives + (this.className === "Precision" ? falsePositives : falseNegatives);
    return denominator === 0 ? 0 : truePositives / denominator;
  }

  reset(): void {
    this.counts.fill(0);
  }

  override dispose(): void {
    if (this.scratch) getEngine().free(this.scratch);
    this.scratch = 0;
  }

  override getConfig() {
    return { className: this.className, config: { name: this.name, thresholds: this.threshold } };
  }
}

/**
 * Keras's AUC (ROC curve, 200 thresholds, "interpolation" summation): the area under the curve of the true
 * positive rate against the false positive rate, by the trapezoid rule over the thresholds.
 */
export class AUC extends Metric {
  readonly className = "AUC";
  private readonly truePositives: Float64Array;
  private readonly falsePositives: Float64Array;
  private readonly trueNegatives: Float64Array;
  private readonly falseNegatives: Float64Array;
  private scratch = 0;

  constructor(
    name = "auc",
    readonly numThresholds = 200,
  ) {
    super(name);
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new Error(`AUC: numThresholds must be an integer > 1, got ${String(numThresholds)}`);
    }
    this.truePositives = new Float64Array(numThresholds);
    this.falsePositives = new Float64Array(numThresholds);
    this.trueNegatives = new Float64Array(numThresholds);
    this.falseNegatives = new Float64Array(numThresholds);
  }

  update(batch: BatchView): void {
    const engine = getEngine();
    const n = this.numThresholds;
    this.scratch ||= engine.allocF32(4 * n);
    const s = this.scratch;
    engine.kernels.thresholdCounts(
      batch.rows,
      batch.cols,
      batch.predictions,
      batch.targets,
      n,
      batch.sampleWeights,
      s,
      s + 4 * n,
      s + 8 * n,
      s + 12 * n,
    );
    const view = engine.view(s, 4 * n);
    for (let k = 0; k < n; k++) {
      this.truePositives[k] += view[k];
      this.falsePositives[k] += view[n + k];
      this.trueNegatives[k] += view[2 * n + k];
      this.falseNegatives[k] += view[3 * n + k];
    }
  }

  result(): number {
    const rate = (numerator: number, other: number) => (numerator + other === 0 ? 0 : numerator / (numerator + other));
    let area = 0;
    for (let k = 0; k < this.numThresholds - 1; k++) {
      const recallHere = rate(this.truePositives[k], this.falseNegatives[k]);
      const recallNext = rate(this.truePositives[k + 1], this.falseNegatives[k + 1]);
      const fallOutHere = rate(this.falsePositives[k], this.trueNegatives[k]);
      const fallOutNext = rate(this.falsePositives[k + 1], this.trueNegatives[k + 1]);
      area += (fallOutHere - fallOutNext) * ((recallHere + recallNext) / 2);
    }
    return area;
  }

  reset(): void {
    for (const counts of [this.truePositives, this.falsePositives, this.trueNegatives, this.falseNegatives])
      counts.fill(0);
  }

  override dispose(): void {
    if (this.scratch) getEngine().free(this.scratch);
    this.scratch = 0;
  }

  override getConfig() {
    return {
      className: this.className,
      config: { name: this.name, numThresholds: this.numThresholds, curve: "ROC", summationMethod: "interpolation" },
    };
  }
}
