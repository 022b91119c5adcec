// The `constraints` namespace: Keras's weight constraints.
export { Constraint, MaxNorm, NonNeg, UnitNorm, constraints } from "./constraints.js";
import { constraints } from "./constraints.js";
export const maxNorm = constraints.maxNorm;
export const nonNeg = constraints.nonNeg;
export const unitNorm = constraints.unitNorm;
