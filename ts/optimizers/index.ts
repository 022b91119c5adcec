import { Adadelta } from "./adadelta.js";
import { Adagrad } from "./adagrad.js";
import { Adam, AdamW } from "./adam.js";
import { Adamax } from "./adamax.js";
import { Nadam } from "./nadam.js";
import { Optimizer } from "./optimizer.js";
import { RMSprop } from "./rmsprop.js";
import { SGD } from "./sgd.js";

export { Adadelta, type AdadeltaArgs } from "./adadelta.js";
export { Adagrad, type AdagradArgs } from "./adagrad.js";
export { Adam, type AdamArgs, AdamW } from "./adam.js";
export { Adamax, type AdamaxArgs } from "./adamax.js";
export { Nadam, type NadamArgs } from "./nadam.js";
export { Optimizer, type OptimizerArgs } from "./optimizer.js";
export { RMSprop, type RMSpropArgs } from "./rmsprop.js";
export { LearningRateSchedule } from "./schedules.js";
export { SGD, type SGDArgs } from "./sgd.js";

type OptimizerFactory = (config?: Record<string, unknown>) => Optimizer;

/** Optimizers by lower-cased name: Keras's strings ("adam", "rmsprop") and class names alike. */
const BY_NAME: Record<string, OptimizerFactory> = {
  sgd: (config) => new SGD(config),
  adam: (config) => new Adam(config),
  adamw: (config) => new AdamW(config),
  rmsprop: (config) => new RMSprop(config),
  adagrad: (config) => new Adagrad(config),
  adadelta: (config) => new Adadelta(config),
  adamax: (config) => new Adamax(config),
  nadam: (config) => new Nadam(config),
};

export type OptimizerIdentifier = Optimizer | string | { className: string; config?: Record<string, unknown> };

export function resolveOptimizer(identifier: OptimizerIdentifier, argument: string): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const name = typeof identifier === "string" ? identifier : identifier?.className;
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown name, not Object's.
  const factory =
    typeof name === "string" && Object.hasOwn(BY_NAME, name.toLowerCase()) ? BY_NAME[name.toLowerCase()] : undefined;
  if (!factory) {
    throw new Error(
      `${argument}: unknown optimizer ${JSON.stringify(identifier)}; expected one of ${Object.keys(BY_NAME).join(", ")} or an optimizers.* instance`,
    );
  }
  return factory(typeof identifier === "object" ? identifier.config : undefined);
}
