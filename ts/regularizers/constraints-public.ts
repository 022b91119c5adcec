// The `constraints` namespace: Keras's weight constraints.
export { Constraint, constraints, MaxNorm, NonNeg, UnitNorm } from "./constraints.js";

import { constraints } from "./constraints.js";
export const maxNorm = constraints.maxNorm;
export const nonNeg = constraints.nonNeg;
export const unitNorm = constraints.unitNorm;
