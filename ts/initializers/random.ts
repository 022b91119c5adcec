import { getEngine } from "../engine/engine.js";
import { checkOptionKeys } from "../utils/options.js";
import { withScratchBlocks } from "../utils/scratch.js";
import { shapeSize } from "../utils/shape.js";
import { checkFinite, computeFans, RandomInitializer } from "./initializer.js";

/** Checks an initializer's option names (typos are errors that list the valid ones) and returns the options. */
function checkKeys<T extends object>(className: string, options: T, valid: readonly string[]): T {
  checkOptionKeys(className, options, valid);
  return options ?? ({} as T);
}

interface Seeded {
  seed?: number | null;
}

export class RandomNormal extends RandomInitializer {
  readonly className = "RandomNormal";
  readonly mean: number;
  readonly stddev: number;
  constructor(options: { mean?: number; stddev?: number } & Seeded = {}) {
    const { mean = 0, stddev = 0.05, seed } = checkKeys("RandomNormal", options, ["mean", "stddev", "seed"]);
    super(seed, "randomNormal");
    this.mean = checkFinite(mean, "randomNormal: mean");
    this.stddev = checkFinite(stddev, "randomNormal: stddev");
  }
  fill(ptr: number, shape: readonly number[]): void {
    this.fillNormal(ptr, shapeSize(shape), this.mean, this.stddev, false);
  }
  override getConfig() {
    return { className: this.className, config: { mean: this.mean, stddev: this.stddev, seed: this.seed } };
  }
}

/** Normal draws re-drawn when more than two standard deviations from the mean (TF's truncated normal). */
export class TruncatedNormal extends RandomInitializer {
  readonly className = "TruncatedNormal";
  readonly mean: number;
  readonly stddev: number;
  constructor(options: { mean?: number; stddev?: number } & Seeded = {}) {
    const { mean = 0, stddev = 0.05, seed } = checkKeys("TruncatedNormal", options, ["mean", "stddev", "seed"]);
    super(seed, "truncatedNormal");
    this.mean = checkFinite(mean, "truncatedNormal: mean");
    this.stddev = checkFinite(stddev, "truncatedNormal: stddev");
  }
  fill(ptr: number, shape: readonly number[]): void {
    this.fillNormal(ptr, shapeSize(shape), this.mean, this.stddev, true);
  }
  override getConfig() {
    return { className: this.className, config: { mean: this.mean, stddev: this.stddev, seed: this.seed } };
  }
}

export class RandomUniform extends RandomInitializer {
  readonly className = "RandomUniform";
  readonly minval: number;
  readonly maxval: number;
  constructor(options: { minval?: number; maxval?: number } & Seeded = {}) {
    const { minval = -0.05, maxval = 0.05, seed } = checkKeys("RandomUniform", options, ["minval", "maxval", "seed"]);
    super(seed, "randomUniform");
    this.minval = checkFinite(minval, "randomUniform: minval");
    this.maxval = checkFinite(maxval, "randomUniform: maxval");
    if (this.maxval < this.minval) {
      throw new Error(`randomUniform: maxval must be >= minval, got minval ${minval} and maxval ${maxval}`);
    }
  }
  fill(ptr: number, shape: readonly number[]): void {
    this.fillUniform(ptr, shapeSize(shape), this.minval, this.maxval);
  }
  override getConfig() {
    return { className: this.className, config: { minval: this.minval, maxval: this.maxval, seed: this.seed } };
  }
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type Distribution = "truncated_normal" | "untruncated_normal" | "uniform";
const MODES: readonly FanMode[] = ["fan_in", "fan_out", "fan_avg"];
const DISTRIBUTIONS: readonly Distribution[] = ["truncated_normal", "untruncated_normal", "uniform"];
/** tfjs's and Keras 2's spellings of the same choices. */
const ALIASES: Record<string, string> = {
  fanIn: "fan_in",
  fanOut: "fan_out",
  fanAvg: "fan_avg",
  normal: "truncated_normal",
  truncatedNormal: "truncated_normal",
  untruncatedNormal: "untruncated_normal",
};

/**
 * Keras's VarianceScaling: draws with variance scale / n, where n is the fan chosen by `mode`.
 * NOTE: the truncated normal's stddev is divided by 0.87962566103423978, the stddev of a unit normal
 * truncated to [-2, 2], so that the variance after truncation is the one asked for (Keras 3 does the same).
 */
export class VarianceScaling extends RandomInitializer {
  readonly className: string = "VarianceScaling";
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;

  constructor(
    options: { scale?: number; mode?: FanMode | string; distribution?: Distribution | string } & Seeded = {},
  ) {
    const {
      scale = 1,
      mode = "fan_in",
      distribution = "truncated_normal",
      seed,
    } = checkKeys("VarianceScaling", options, ["scale", "mode", "distribution", "seed"]);
    super(seed, "varianceScaling");
    this.scale = checkFinite(scale, "varianceScaling: scale");
    if (this.scale <= 0) throw new Error(`varianceScaling: scale must be > 0, got ${scale}`);
    const resolvedMode = (Object.hasOwn(ALIASES, mode) ? ALIASES[mode] : undefined) ?? mode;
    const resolvedDistribution =
      (Object.hasOwn(ALIASES, distribution) ? ALIASES[distribution] : undefined) ?? distribution;
    if (!MODES.includes(resolvedMode as FanMode)) {
      throw new Error(`varianceScaling: mode must be one of ${MODES.join(", ")}, got ${String(mode)}`);
    }
    if (!DISTRIBUTIONS.includes(resolvedDistribution as Distribution)) {
      throw new Error(
        `varianceScaling: distribution must be one of ${DISTRIBUTIONS.join(", ")}, got ${String(distribution)}`,
      );
    }
    this.mode = resolvedMode as FanMode;
    this.distribution = resolvedDistribution as Distribution;
  }

  fill(ptr: number, shape: readonly number[]): void {
    const [fanIn, fanOut] = computeFans(shape);
    const fan = this.mode === "fan_in" ? fanIn : this.mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    const count = shapeSize(shape);
    // NOTE: Math.sqrt is correctly rounded in every engine, so this stays bit-identical across runtimes.
    if (this.distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      this.fillUniform(ptr, count, -limit, limit);
    } else if (this.distribution === "truncated_normal") {
      this.fillNormal(ptr, count, 0, Math.sqrt(variance) / 0.87962566103423978, true);
    } else {
      this.fillNormal(ptr, count, 0, Math.sqrt(variance), false);
    }
  }

  override getConfig(): { className: string; config: Record<string, unknown> } {
    return {
      className: this.className,
      config: { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed },
    };
  }
}

/** The named VarianceScaling presets; Keras saves them with their seed only. */
abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: { seed: this.seed } };
  }
}

export class GlorotUniform extends VarianceScalingPreset {
  override readonly className = "GlorotUniform";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("GlorotUniform", options, ["seed"]);
    super({ scale: 1, mode: "fan_avg", distribution: "uniform", seed });
  }
}

export class GlorotNormal extends VarianceScalingPreset {
  override readonly className = "GlorotNormal";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("GlorotNormal", options, ["seed"]);
    super({ scale: 1, mode: "fan_avg", distribution: "truncated_normal", seed });
  }
}

export class HeUniform extends VarianceScalingPreset {
  override readonly className = "HeUniform";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("HeUniform", options, ["seed"]);
    super({ scale: 2, mode: "fan_in", distribution: "uniform", seed });
  }
}

export class HeNormal extends VarianceScalingPreset {
  override readonly className = "HeNormal";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("HeNormal", options, ["seed"]);
    super({ scale: 2, mode: "fan_in", distribution: "truncated_normal", seed });
  }
}

export class LecunUniform extends VarianceScalingPreset {
  override readonly className = "LecunUniform";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("LecunUniform", options, ["seed"]);
    super({ scale: 1, mode: "fan_in", distribution: "uniform", seed });
  }
}

export class LecunNormal extends VarianceScalingPreset {
  override readonly className = "LecunNormal";
  constructor(options: Seeded = {}) {
    const { seed } = checkKeys("LecunNormal", options, ["seed"]);
    super({ scale: 1, mode: "fan_in", distribution: "truncated_normal", seed });
  }
}

/**
 * Keras's Orthogonal: a normal matrix made orthogonal by Householder QR in the kernels (Q·sign(diag R)),
 * transposed when the weight has fewer rows than columns, times `gain`.
 */
export class Orthogonal extends RandomInitializer {
  readonly className = "Orthogonal";
  readonly gain: number;
  constructor(options: { gain?: number } & Seeded = {}) {
    const { gain = 1, seed } = checkKeys("Orthogonal", options, ["gain", "seed"]);
    super(seed, "orthogonal");
    this.gain = checkFinite(gain, "orthogonal: gain");
  }
  fill(ptr: number, shape: readonly number[]): void {
    if (shape.length < 2)
      throw new Error(`orthogonal: the weight must be at least 2-D, got shape [${shape.join(", ")}]`);
    const engine = getEngine();
    const cols = shape[shape.length - 1];
    const rows = shapeSize(shape) / cols;
    const tall = Math.max(rows, cols);
    const narrow = Math.min(rows, cols);
    withScratchBlocks([tall * narrow, tall * narrow + 3 * narrow], ([matrix, scratch]) => {
      this.fillNormal(matrix, tall * narrow, 0, 1, false);
      engine.kernels.orthogonalize(tall, narrow, matrix, scratch);
      const q = engine.view(matrix, tall * narrow);
      const out = engine.view(ptr, rows * cols);
      // NOTE: a product with gain in JS is one IEEE multiply: the same bits in every runtime.
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++)
          out[r * cols + c] = this.gain * (rows >= cols ? q[r * narrow + c] : q[c * narrow + r]);
      }
    });
  }
  override getConfig(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: { gain: this.gain, seed: this.seed } };
  }
}
