// densa/infer's regularizers: rollup.config.mjs swaps this file in for regularizers.ts in the densa-infer bundles.
// A regularizer only adds to a training loss and its gradient, and models there are never trained: it is only
// checked by name (an unknown one is refused as in "densa") and kept with its factors, for getConfig.
import { namedClass } from "../utils/named-class.js";

/** A regularizer of a loaded model: its factors, and no way to apply them. */
export class Regularizer {
  constructor(
    readonly l1: number,
    readonly l2: number,
    readonly kind: "L1" | "L2" | "L1L2",
  ) {}

  penalty(): number {
    throw new Error(`${this.kind}: densa/infer does not train, so regularizers never apply; train models with "densa"`);
  }

  addGradient(): void {
    this.penalty();
  }

  /** TensorFlow.js's form, as regularizers.ts writes it. */
  getConfig(): { className: string; config: { l1: number; l2: number } } {
    return { className: "L1L2", config: { l1: this.l1, l2: this.l2 } };
  }
}

export type RegularizerIdentifier = Regularizer | string | { className: string; config?: Record<string, number> };

/** Keras's default factor for the L1 and L2 shortcuts (regularizers.ts). */
const DEFAULT_FACTOR = 0.01;

export function resolveRegularizer(
  identifier: RegularizerIdentifier | null | undefined,
  argument: string,
): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  // NOTE: "l1l2" is the one name namedClass's camel/snake forms of L1L2 ("l1L2", "l1_l2") do not cover.
  const named = namedClass(identifier === "l1l2" ? "l1_l2" : identifier, ["L1", "L2", "L1L2"]);
  if (!named) {
    throw new Error(
      `${argument}: unknown regularizer ${JSON.stringify(identifier)}; expected "l1", "l2", "l1l2", a regularizers.* instance or { className: "L1" | "L2" | "L1L2", config }`,
    );
  }
  const { l1, l2 } = named.config as { l1?: number; l2?: number };
  if (named.className === "L1") return new Regularizer(l1 ?? DEFAULT_FACTOR, 0, "L1");
  if (named.className === "L2") return new Regularizer(0, l2 ?? DEFAULT_FACTOR, "L2");
  // NOTE: the string "l1l2" means Keras's l1_l2() (both factors 0.01); { className: "L1L2" } without factors 0.
  const shortcut = typeof identifier === "string";
  return new Regularizer(l1 ?? (shortcut ? DEFAULT_FACTOR : 0), l2 ?? (shortcut ? DEFAULT_FACTOR : 0), "L1L2");
}
