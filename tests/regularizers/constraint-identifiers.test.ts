// Keras's constraint identifiers and configs: names in camelCase, snake_case and Keras's class names, configs in
// Keras's snake_case or camelCase; MaxNorm's default maxValue 2; only axis 0 (per unit of a Dense kernel).
import { describe, expect, test } from "vitest";
import {
  Constraint,
  constraints,
  MaxNorm,
  NonNeg,
  resolveConstraint,
  UnitNorm,
} from "../../ts/regularizers/constraints.js";

describe("resolveConstraint", () => {
  test.each(["maxNorm", "max_norm", "MaxNorm"])("%s → MaxNorm(2)", (name) => {
    const constraint = resolveConstraint(name as never, "kernelConstraint");
    expect(constraint).toBeInstanceOf(MaxNorm);
    expect(constraint!.getConfig()).toEqual({ className: "MaxNorm", config: { maxValue: 2, axis: 0 } });
  });
  test.each(["nonNeg", "non_neg", "NonNeg"])("%s → NonNeg", (name) => {
    const constraint = resolveConstraint(name as never, "kernelConstraint");
    expect(constraint).toBeInstanceOf(NonNeg);
    expect(constraint!.getConfig()).toEqual({ className: "NonNeg", config: {} });
  });
  test.each(["unitNorm", "unit_norm", "UnitNorm"])("%s → UnitNorm", (name) => {
    const constraint = resolveConstraint(name as never, "kernelConstraint");
    expect(constraint).toBeInstanceOf(UnitNorm);
    expect(constraint!.getConfig()).toEqual({ className: "UnitNorm", config: { axis: 0 } });
  });

  test("configs in Keras's snake_case and in camelCase", () => {
    expect(
      (resolveConstraint({ className: "MaxNorm", config: { max_value: 3, axis: 0 } }, "k") as MaxNorm).maxValue,
    ).toBe(3);
    expect((resolveConstraint({ className: "MaxNorm", config: { maxValue: 4 } }, "k") as MaxNorm).maxValue).toBe(4);
    expect((resolveConstraint({ className: "MaxNorm" }, "k") as MaxNorm).maxValue).toBe(2);
    expect(resolveConstraint({ className: "UnitNorm", config: { axis: 0 } }, "k")).toBeInstanceOf(UnitNorm);
    expect(() => resolveConstraint({ className: "UnitNorm", config: { axis: 1 } }, "k")).toThrow(
      "unitNorm: only axis 0 (per unit of a Dense kernel) is supported, got 1",
    );
  });

  test("null / undefined mean none; instances pass through", () => {
    expect(resolveConstraint(null, "k")).toBeNull();
    expect(resolveConstraint(undefined, "k")).toBeNull();
    const instance = new NonNeg();
    expect(resolveConstraint(instance, "k")).toBe(instance);
    expect(instance).toBeInstanceOf(Constraint);
  });

  test("unknown names are refused with the argument and the valid names", () => {
    expect(() => resolveConstraint("maxnorm" as never, "biasConstraint")).toThrow(
      'biasConstraint: unknown constraint "maxnorm"; expected one of "maxNorm", "nonNeg", "unitNorm" (or their snake_case names) or a constraints.* instance',
    );
    expect(() => resolveConstraint({ className: "MinMaxNorm" }, "kernelConstraint")).toThrow(
      'kernelConstraint: unknown constraint {"className":"MinMaxNorm"}',
    );
  });
});

describe("constructors and factories", () => {
  test("factories build the classes with their options", () => {
    expect(constraints.maxNorm({ maxValue: 5 }).maxValue).toBe(5);
    expect(constraints.maxNorm().maxValue).toBe(2);
    expect(constraints.nonNeg()).toBeInstanceOf(NonNeg);
    expect(constraints.unitNorm()).toBeInstanceOf(UnitNorm);
    expect(constraints.unitNorm({ axis: 0 })).toBeInstanceOf(UnitNorm);
  });

  test.each([
    [() => new MaxNorm({ maxValue: 0 }), "maxNorm: maxValue must be a finite number > 0, got 0"],
    [() => new MaxNorm({ maxValue: -1 }), "maxNorm: maxValue must be a finite number > 0, got -1"],
    [() => new MaxNorm({ maxValue: Infinity }), "maxNorm: maxValue must be a finite number > 0, got Infinity"],
    [() => new MaxNorm({ maxValue: "2" as never }), "maxNorm: maxValue must be a finite number > 0, got 2"],
    [() => new MaxNorm({ axis: 1 }), "maxNorm: only axis 0 (per unit of a Dense kernel) is supported, got 1"],
    [() => new MaxNorm({ max: 1 } as never), "MaxNorm"],
    [() => new UnitNorm({ axis: -1 }), "unitNorm: only axis 0 (per unit of a Dense kernel) is supported, got -1"],
    [() => new UnitNorm({ norm: 1 } as never), "UnitNorm"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});
