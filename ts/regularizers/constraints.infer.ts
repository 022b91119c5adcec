// densa/infer's constraints: rollup.config.mjs swaps this file in for constraints.ts in the densa-infer bundles.
// A constraint acts after an optimizer step, and models there are never trained: a constraint is only checked by
// name (an unknown one is refused as in "densa") and kept as the config the file gave it, for getConfig.
import { namedClass } from "../utils/named-class.js";

export type ConstraintIdentifier = Constraint | string | { className: string; config?: Record<string, number> };

/** A constraint of a loaded model: its config, and no way to apply it. */
export class Constraint {
  constructor(
    readonly className: string,
    private readonly config: Record<string, unknown>,
  ) {}

  apply(): void {
    throw new Error(
      `${this.className}: densa/infer does not train, so constraints never apply; train models with "densa"`,
    );
  }

  getConfig(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: { ...this.config } };
  }
}

export function resolveConstraint(
  identifier: ConstraintIdentifier | null | undefined,
  argument: string,
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  const named = namedClass(identifier, ["MaxNorm", "NonNeg", "UnitNorm"]);
  if (!named) {
    throw new Error(
      `${argument}: unknown constraint ${JSON.stringify(identifier)}; expected one of "maxNorm", "nonNeg", "unitNorm" (or their snake_case names) or a constraints.* instance`,
    );
  }
  return new Constraint(named.className, named.config);
}
