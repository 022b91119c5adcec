import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs, optionalBoolean } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/** How often the stuck-moment shortcut is probed, and the share of skipped groups that turns it on. */
const PROBE_STEPS = 64;
const SHORTCUT_SHARE = 0.4;

/** Keras 3's Adam (lr 1e-3, β 0.9 / 0.999, ε 1e-7), with AMSGrad as an option. */
export class Adam extends Optimizer {
  readonly className: string = "Adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(
    args: AdamArgs = {},
    defaults = { learningRate: 0.001, name: "adam", weightDecay: null as number | null, className: "Adam" },
  ) {
    super(args, { ...defaults, options: ["beta1", "beta2", "epsilon", "amsgrad"] });
    const fn = defaults.className;
    this.beta1 = checkNumber(fn, "beta1", args.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber(fn, "beta2", args.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber(fn, "epsilon", args.epsilon ?? 1e-7, { min: 0 });
    this.amsgrad = optionalBoolean(fn, "amsgrad", args.amsgrad, false);
  }

  protected slotNames(): string[] {
    return this.amsgrad ? ["m", "v", "vhat"] : ["m", "v"];
  }

  /**
   * Once every PROBE_STEPS steps the kernel runs with its shortcut for stuck subnormal moments (weights whose
   * gradient stays exactly 0: dead ReLU units, always-zero inputs; assembly/optimizers-adam-subnormal.ts) and
   * counts the groups of four it skipped; the following steps take the shortcut when at least
   * SHORTCUT_SHARE of the groups did. Either way the bits are the same: only the time differs.
   * NOTE: measured on this machine, the shortcut makes Adam ~1.3× faster with 80 % stuck moments and ~1.2×
   * slower with none, so it is used only where it pays.
   */
  private stuckShortcut = false;
  private probing = false;
  private probeSkipped = 0;
  private probeGroups = 0;

  /** Also forgets the shortcut's probe, so that the instance starts as a new one. */
  override dispose(): void {
    super.dispose();
    this.stuckShortcut = false;
    this.probing = false;
  }

  protected override beforeStep(step: number): void {
    if (this.probing) this.stuckShortcut = this.probeSkipped >= SHORTCUT_SHARE * Math.max(1, this.probeGroups);
    this.probing = step % PROBE_STEPS === 1;
    // NOTE: the kernel counts on every shortcut call; only the probe's own calls may count.
    if (this.probing) getEngine().kernels.takeAdamStuckGroups();
    this.probeSkipped = 0;
    this.probeGroups = 0;
  }

  protected updateStep(run: UpdateRun, learningRate: number, step: number, weightDecay: number): void {
    const slots = run.slots;
    const flags = (this.amsgrad ? 1 : 0) | (this.probing || this.stuckShortcut ? 2 : 0);
    const kernels = getEngine().kernels;
    kernels.adamUpdate(
      run.param,
      run.grad,
      slots[0],
      slots[1],
      slots[2] ?? 0,
      run.size,
      learningRate,
      this.beta1,
      this.beta2,
      this.epsilon,
      step,
      flags,
      weightDecay,
    );
    if (this.probing) {
      // NOTE: a call split over threads ran in the workers' instances: this one counts none for it.
      this.probeSkipped += kernels.takeAdamStuckGroups();
      this.probeGroups += run.size >> 2;
    }
  }

  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** Keras 3's AdamW: Adam with decoupled weight decay, 0.004 by default. */
export class AdamW extends Adam {
  override readonly className = "AdamW";
  constructor(args: AdamArgs = {}) {
    super(args, { learningRate: 0.001, name: "adamw", weightDecay: 0.004, className: "AdamW" });
    if (this.weightDecay === null) throw new Error("AdamW: weightDecay must be a number >= 0, got null");
  }
}
