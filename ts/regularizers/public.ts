// The `regularizers` namespace: Keras's L1L2 penalty and its shortcuts.
export { Regularizer as L1L2, regularizers } from "./regularizers.js";

import { regularizers } from "./regularizers.js";
export const l1 = regularizers.l1;
export const l2 = regularizers.l2;
export const l1l2 = regularizers.l1l2;
