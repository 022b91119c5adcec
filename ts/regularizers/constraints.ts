import { getEngine } from "../engine/engine.js";
import { checkOptionKeys } from "../utils/options.js";

/**
 * Keras's weight constraints, applied to a weight after each optimizer update. For a Dense kernel
 * (inputs × units, Keras axis 0) norms are taken over the inputs of each unit: the columns.
 */
export abstract class Constraint {
  abstract readonly className: string;
  abstract apply(ptr: number, shape: readonly number[]): void;
  getConfig(): { className: string; config: Record<string, number> } {
    return { className: this.className, config: {} };
  }
}

function matrixShape(shape: readonly number[]): [number, number] {
  // NOTE: a rank-1 weight (a bias) is one column, so its norm is taken over all of it, as Keras's axis 0.
  const cols = shape.length > 1 ? shape[shape.length - 1] : 1;
  const rows = shape.reduce((product, dim) => product * dim, 1) / cols;
  return [rows, cols];
}

export class MaxNorm extends Constraint {
  readonly className = "MaxNorm";
  readonly maxValue: number;
  constructor(options: { maxValue?: number; axis?: number } = {}) {
    super();
    checkOptionKeys("MaxNorm", options, ["maxValue", "axis"]);
    const { maxValue = 2, axis = 0 } = options;
    checkPositive("maxNorm: maxValue", maxValue);
    checkAxis("maxNorm", axis);
    this.maxValue = maxValue;
  }
  apply(ptr: number, shape: readonly number[]): void {
    const [rows, cols] = matrixShape(shape);
    getEngine().kernels.maxNormConstraint(ptr, rows, cols, this.maxValue);
  }
  override getConfig() {
    return { className: this.className, config: { maxValue: this.maxValue, axis: 0 } };
  }
}

export class NonNeg extends Constraint {
  readonly className = "NonNeg";
  apply(ptr: number, shape: readonly number[]): void {
    getEngine().kernels.nonNegConstraint(
      ptr,
      shape.reduce((product, dim) => product * dim, 1),
    );
  }
}

export class UnitNorm extends Constraint {
  readonly className = "UnitNorm";
  constructor(options: { axis?: number } = {}) {
    super();
    checkOptionKeys("UnitNorm", options, ["axis"]);
    const { axis = 0 } = options;
    checkAxis("unitNorm", axis);
  }
  apply(ptr: number, shape: readonly number[]): void {
    const [rows, cols] = matrixShape(shape);
    getEngine().kernels.unitNormConstraint(ptr, rows, cols);
  }
  override getConfig() {
    return { className: this.className, config: { axis: 0 } };
  }
}

function checkPositive(argument: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${argument} must be a finite number > 0, got ${String(value)}`);
  }
}

function checkAxis(name: string, axis: number): void {
  if (axis !== 0)
    throw new Error(`${name}: only axis 0 (per unit of a Dense kernel) is supported, got ${String(axis)}`);
}

export type ConstraintIdentifier =
  | Constraint
  | "maxNorm"
  | "max_norm"
  | "nonNeg"
  | "non_neg"
  | "unitNorm"
  | "unit_norm"
  | { className: string; config?: Record<string, number> };

export const constraints = {
  maxNorm: (options?: { maxValue?: number; axis?: number }) => new MaxNorm(options),
  nonNeg: () => new NonNeg(),
  unitNorm: (options?: { axis?: number }) => new UnitNorm(options),
};

export function resolveConstraint(
  identifier: ConstraintIdentifier | null | undefined,
  argument: string,
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  const name = typeof identifier === "string" ? identifier : identifier.className;
  const config = typeof identifier === "object" ? (identifier.config ?? {}) : {};
  switch (name) {
    case "maxNorm":
    case "max_norm":
    case "MaxNorm":
      return new MaxNorm({ maxValue: config.maxValue ?? config.max_value, axis: config.axis });
    case "nonNeg":
    case "non_neg":
    case "NonNeg":
      return new NonNeg();
    case "unitNorm":
    case "unit_norm":
    case "UnitNorm":
      return new UnitNorm({ axis: config.axis });
  }
  throw new Error(
    `${argument}: unknown constraint ${JSON.stringify(identifier)}; expected one of "maxNorm", "nonNeg", "unitNorm" (or their snake_case names) or a constraints.* instance`,
  );
}
