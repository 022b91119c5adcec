import { getEngine } from "../engine/engine.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";

/** Keras's L1L2 weight penalty: l1·Σ|w| + l2·Σw², added to the loss; its gradient is added to the weight's. */
export class Regularizer {
  readonly l1: number;
  readonly l2: number;

  /**
   * `kind`: the Keras 3 class it stands for — regularizers.l1() is Keras's L1, l2() its L2, l1l2() its L1L2
   * (the same penalty; the class is what a .keras file names).
   */
  constructor(
    options: { l1?: number; l2?: number } = {},
    fn = "L1L2",
    readonly kind: "L1" | "L2" | "L1L2" = "L1L2",
  ) {
    checkOptionKeys(fn, options, ["l1", "l2"]);
    const { l1 = 0, l2 = 0 } = options;
    for (const [name, value] of [
      ["l1", l1],
      ["l2", l2],
    ] as const) {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new Error(`${fn}: ${name} must be a finite number >= 0, got ${describeValue(value)}`);
      }
    }
    this.l1 = l1;
    this.l2 = l2;
  }

  penalty(ptr: number, count: number): number {
    return getEngine().kernels.l1l2Penalty(ptr, count, this.l1, this.l2);
  }

  addGradient(ptr: number, grad: number, count: number): void {
    getEngine().kernels.addL1L2Gradient(ptr, grad, count, this.l1, this.l2);
  }

  /** TensorFlow.js's form (its only regularizer class is L1L2, with both factors), which densa's tfjs files use. */
  getConfig(): { className: string; config: { l1: number; l2: number } } {
    return { className: "L1L2", config: { l1: this.l1, l2: this.l2 } };
  }

  /** Keras 3's form: keras.regularizers.L1 { l1 }, L2 { l2 } or L1L2 { l1, l2 }, as the regularizer was made. */
  kerasConfig(): { className: string; config: Record<string, number> } {
    if (this.kind === "L1") return { className: "L1", config: { l1: this.l1 } };
    if (this.kind === "L2") return { className: "L2", config: { l2: this.l2 } };
    return { className: "L1L2", config: { l1: this.l1, l2: this.l2 } };
  }
}

export type RegularizerIdentifier =
  | Regularizer
  | "l1"
  | "l2"
  | "l1l2"
  | "l1_l2"
  | { className: string; config?: Record<string, number> };

/** Keras's default factor for the L1 and L2 shortcuts. */
const DEFAULT_FACTOR = 0.01;

/** The factor of a shortcut: Keras's l2(0.01) or tfjs's l2({ l2: 0.01 }). */
function factor(value: unknown, key: "l1" | "l2"): number {
  if (value === undefined) return DEFAULT_FACTOR;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    checkOptionKeys(`regularizers.${key}`, value, [key]);
    return (value as Record<string, number>)[key] ?? DEFAULT_FACTOR;
  }
  return value as number; // checked by the Regularizer constructor
}

export const regularizers = {
  l1: (l1?: number | { l1?: number }) => new Regularizer({ l1: factor(l1, "l1") }, "regularizers.l1", "L1"),
  l2: (l2?: number | { l2?: number }) => new Regularizer({ l2: factor(l2, "l2") }, "regularizers.l2", "L2"),
  l1l2: (options: { l1?: number; l2?: number } = { l1: DEFAULT_FACTOR, l2: DEFAULT_FACTOR }) =>
    new Regularizer(options, "regularizers.l1l2"),
};

export function resolveRegularizer(
  identifier: RegularizerIdentifier | null | undefined,
  argument: string,
): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === "string") {
    switch (identifier) {
      case "l1":
        return regularizers.l1();
      case "l2":
        return regularizers.l2();
      case "l1l2":
      case "l1_l2":
        return regularizers.l1l2();
    }
  } else if (typeof identifier === "object" && typeof identifier.className === "string") {
    const config = identifier.config ?? {};
    switch (identifier.className) {
      case "L1":
        return new Regularizer({ l1: config.l1 ?? DEFAULT_FACTOR }, "L1", "L1");
      case "L2":
        return new Regularizer({ l2: config.l2 ?? DEFAULT_FACTOR }, "L2", "L2");
      case "L1L2":
        return new Regularizer({ l1: config.l1 ?? 0, l2: config.l2 ?? 0 });
    }
  }
  throw new Error(
    `${argument}: unknown regularizer ${JSON.stringify(identifier)}; expected "l1", "l2", "l1l2", a regularizers.* instance or { className: "L1" | "L2" | "L1L2", config }`,
  );
}
