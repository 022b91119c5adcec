import { getEngine } from "../engine/engine.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";

/**
 * Keras 3's losses: one general class over the loss kernels (assembly/losses.ts), named by kind.
 * A batch is `rows` samples × `cols` outputs; the reduction is Keras's "sum_over_batch_size":
 * Σᵢ wᵢ·lᵢ / rows, with wᵢ = sample_weight × class_weight.
 */
interface LossSpec {
  className: string;
  /** Suffix of the LOSS_* kernel global. */
  kernelName: string;
  /** Integer class labels instead of targets shaped like the predictions. */
  sparseLabels?: boolean;
  /** Accepts fromLogits (the kernel then has a *_FROM_LOGITS twin). */
  logits?: boolean;
  labelSmoothing?: boolean;
  /** Huber's delta. */
  delta?: boolean;
}

export const LOSS_SPECS: Record<string, LossSpec> = {
  mean_squared_error: { className: "MeanSquaredError", kernelName: "MEAN_SQUARED_ERROR" },
  mean_absolute_error: { className: "MeanAbsoluteError", kernelName: "MEAN_ABSOLUTE_ERROR" },
  mean_absolute_percentage_error: {
    className: "MeanAbsolutePercentageError",
    kernelName: "MEAN_ABSOLUTE_PERCENTAGE_ERROR",
  },
  mean_squared_logarithmic_error: {
    className: "MeanSquaredLogarithmicError",
    kernelName: "MEAN_SQUARED_LOGARITHMIC_ERROR",
  },
  huber: { className: "Huber", kernelName: "HUBER", delta: true },
  binary_crossentropy: {
    className: "BinaryCrossentropy",
    kernelName: "BINARY_CROSSENTROPY",
    logits: true,
    labelSmoothing: true,
  },
  categorical_crossentropy: {
    className: "CategoricalCrossentropy",
    kernelName: "CATEGORICAL_CROSSENTROPY",
    logits: true,
    labelSmoothing: true,
  },
  sparse_categorical_crossentropy: {
    className: "SparseCategoricalCrossentropy",
    kernelName: "SPARSE_CATEGORICAL_CROSSENTROPY",
    logits: true,
    sparseLabels: true,
  },
  hinge: { className: "Hinge", kernelName: "HINGE" },
  squared_hinge: { className: "SquaredHinge", kernelName: "SQUARED_HINGE" },
  categorical_hinge: { className: "CategoricalHinge", kernelName: "CATEGORICAL_HINGE" },
  log_cosh: { className: "LogCosh", kernelName: "LOG_COSH" },
  kl_divergence: { className: "KLDivergence", kernelName: "KL_DIVERGENCE" },
  poisson: { className: "Poisson", kernelName: "POISSON" },
  cosine_similarity: { className: "CosineSimilarity", kernelName: "COSINE_SIMILARITY" },
};

/** Keras's short names and tfjs's camelCase names. */
const ALIASES: Record<string, string> = {
  mse: "mean_squared_error",
  mae: "mean_absolute_error",
  mape: "mean_absolute_percentage_error",
  MSE: "mean_squared_error",
  MAE: "mean_absolute_error",
  MAPE: "mean_absolute_percentage_error",
  MSLE: "mean_squared_logarithmic_error",
  KLD: "kl_divergence",
  bce: "binary_crossentropy",
  BCE: "binary_crossentropy",
  msle: "mean_squared_logarithmic_error",
  huber_loss: "huber",
  logcosh: "log_cosh",
  kld: "kl_divergence",
  kullback_leibler_divergence: "kl_divergence",
};
for (const [name, spec] of Object.entries(LOSS_SPECS)) {
  ALIASES[name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = name;
  ALIASES[spec.className] = name;
}

export function canonicalLossName(identifier: string, argument: string): string {
  const name = (Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined) ?? identifier;
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown name, not Object's.
  if (!Object.hasOwn(LOSS_SPECS, name)) {
    throw new Error(
      `${argument}: unknown loss ${JSON.stringify(identifier)}; expected one of ${Object.keys(LOSS_SPECS).join(", ")} (or their camelCase / short names), or a losses.* instance`,
    );
  }
  return name;
}

const LOSS_OPTIONS = ["fromLogits", "labelSmoothing", "delta", "name", "reduction"];

export interface LossOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  delta?: number;
  name?: string;
  reduction?: "sum_over_batch_size";
}

export class Loss {
  readonly className: string;
  /** Canonical snake_case name, e.g. "binary_crossentropy". */
  readonly lossName: string;
  readonly name: string;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly delta: number;
  readonly sparseLabels: boolean;

  constructor(name: string, options: LossOptions = {}) {
    this.lossName = canonicalLossName(name, "loss");
    const spec = LOSS_SPECS[this.lossName];
    checkOptionKeys(spec.className, options, LOSS_OPTIONS);
    if (options.name !== undefined && (typeof options.name !== "string" || options.name.length === 0)) {
      throw new Error(`${spec.className}: name must be a non-empty string, got ${describeValue(options.name)}`);
    }
    this.className = spec.className;
    this.name = options.name ?? this.lossName;
    this.sparseLabels = spec.sparseLabels ?? false;
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.delta = options.delta ?? 1;
    const unsupported = (["fromLogits", "labelSmoothing", "delta"] as const).filter(
      (option) => options[option] !== undefined && !spec[option === "fromLogits" ? "logits" : option],
    );
    if (unsupported.length) throw new Error(`${spec.className}: unknown option ${unsupported[0]} for this loss`);
    if (typeof this.fromLogits !== "boolean")
      throw new Error(`${spec.className}: fromLogits must be a boolean, got ${describeValue(this.fromLogits)}`);
    if (!(typeof this.labelSmoothing === "number" && this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new Error(
        `${spec.className}: labelSmoothing must be a number in [0, 1], got ${describeValue(options.labelSmoothing)}`,
      );
    }
    if (!(typeof this.delta === "number" && this.delta > 0 && Number.isFinite(this.delta))) {
      throw new Error(`${spec.className}: delta must be a finite number > 0, got ${describeValue(options.delta)}`);
    }
    if (options.reduction !== undefined && options.reduction !== "sum_over_batch_size") {
      throw new Error(
        `${spec.className}: only the reduction "sum_over_batch_size" is supported, got ${String(options.reduction)}`,
      );
    }
  }

  private kindValue: number | undefined;

  /** The LOSS_* kernel kind for these options (looked up once: the training step reads it twice a batch). */
  get kind(): number {
    if (this.kindValue === undefined) {
      const spec = LOSS_SPECS[this.lossName];
      const suffix = this.fromLogits ? "_FROM_LOGITS" : "";
      const global = (getEngine().kernels as unknown as Record<string, WebAssembly.Global>)[
        `LOSS_${spec.kernelName}${suffix}`
      ];
      this.kindValue = global.value as number;
    }
    return this.kindValue;
  }

  /** Σᵢ wᵢ·lᵢ / rows for the batch at the given pointers (sampleWeights 0 = all ones). */
  forward(rows: number, cols: number, predictions: number, targets: number, sampleWeights: number): number {
    return getEngine().kernels.lossForward(
      this.kind,
      rows,
      cols,
      predictions,
      targets,
      sampleWeights,
      0,
      this.delta,
      this.labelSmoothing,
    );
  }

  /** Writes scale·wᵢ·∂lᵢ/∂prediction into `gradient` (scale 1/rows: the gradient of forward). */
  backward(
    rows: number,
    cols: number,
    predictions: number,
    targets: number,
    sampleWeights: number,
    gradient: number,
    scale: number,
  ): void {
    getEngine().kernels.lossBackward(
      this.kind,
      rows,
      cols,
      predictions,
      targets,
      sampleWeights,
      gradient,
      this.delta,
      this.labelSmoothing,
      scale,
    );
  }

  getConfig(): { className: string; config: Record<string, unknown> } {
    const spec = LOSS_SPECS[this.lossName];
    const config: Record<string, unknown> = { name: this.name, reduction: "sum_over_batch_size" };
    if (spec.logits) config.fromLogits = this.fromLogits;
    if (spec.labelSmoothing) config.labelSmoothing = this.labelSmoothing;
    if (spec.delta) config.delta = this.delta;
    return { className: spec.className, config };
  }
}

export type LossIdentifier = Loss | string;

export function resolveLoss(identifier: LossIdentifier, argument: string): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier !== "string") {
    throw new Error(`${argument}: expected a loss name (e.g. "mse") or a losses.* instance, got ${typeof identifier}`);
  }
  return new Loss(canonicalLossName(identifier, argument));
}
