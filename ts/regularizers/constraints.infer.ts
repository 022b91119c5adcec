// densa/infer's constraints: rollup.config.mjs swaps this file in for constraints.ts in the densa-infer bundles.
// A constraint acts after an optimizer step, and models there are never trained: a constraint is only checked by
// name (an unknown one is refused as in "densa") and kept as the config the file gave it, for getConfig.
export type ConstraintIdentifier = Constraint | string | { className: string; config?: Record<string, number> };

/** A constraint of a loaded model: its config, and no way to apply it. */
export class Constraint {
  constructor(
    readonly className: string,
    private readonly config: Record<string, number>,
  ) {}

  apply(): void {
    throw new Error(
      `${this.className}: densa/infer does not train, so constraints never apply; train models with "densa"`,
    );
  }

  getConfig(): { className: string; config: Record<string, number> } {
    return { className: this.className, config: { ...this.config } };
  }
}

/** Keras's constraint classes and the other names constraints.ts accepts for each. */
const CLASS_NAMES: Record<string, string> = {
  maxNorm: "MaxNorm",
  max_norm: "MaxNorm",
  MaxNorm: "MaxNorm",
  nonNeg: "NonNeg",
  non_neg: "NonNeg",
  NonNeg: "NonNeg",
  unitNorm: "UnitNorm",
  unit_norm: "UnitNorm",
  UnitNorm: "UnitNorm",
};

export function resolveConstraint(
  identifier: ConstraintIdentifier | null | undefined,
  argument: string,
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  const name = typeof identifier === "string" ? identifier : identifier.className;
  if (typeof name !== "string" || !Object.hasOwn(CLASS_NAMES, name)) {
    throw new Error(
      `${argument}: unknown constraint ${JSON.stringify(identifier)}; expected one of "maxNorm", "nonNeg", "unitNorm" (or their snake_case names) or a constraints.* instance`,
    );
  }
  return new Constraint(CLASS_NAMES[name], typeof identifier === "object" ? { ...identifier.config } : {});
}
