import type { Variable } from "../layers/variable.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";

/**
 * Keras's exclude_from_weight_decay: variables given themselves, or whose name (its path, "dense_1/bias") a
 * pattern of `varNames` matches (RegExp search, as Keras's re.search), get no decoupled weight decay.
 */
export class WeightDecayExclusions {
  private readonly variables = new Set<Variable>();
  private readonly patterns: RegExp[] = [];

  /** Adds exclusions; checks both lists before taking either. */
  add(args: { varList?: readonly Variable[]; varNames?: readonly string[] }, fn: string): void {
    checkOptionKeys(fn, args, ["varList", "varNames"]);
    if (args.varList !== undefined && !Array.isArray(args.varList))
      throw new Error(`${fn}: varList must be an array of weights, got ${describeValue(args.varList)}`);
    if (
      args.varNames !== undefined &&
      (!Array.isArray(args.varNames) || args.varNames.some((name) => typeof name !== "string"))
    ) {
      throw new Error(`${fn}: varNames must be an array of strings, got ${describeValue(args.varNames)}`);
    }
    const patterns = (args.varNames ?? []).map((name) => new RegExp(name));
    for (const variable of args.varList ?? []) this.variables.add(variable);
    this.patterns.push(...patterns);
  }

  /** Whether decoupled weight decay applies to this variable (Keras's _use_weight_decay). */
  applies(variable: Variable): boolean {
    if (this.variables.has(variable)) return false;
    return !this.patterns.some((pattern) => pattern.test(variable.name));
  }
}
