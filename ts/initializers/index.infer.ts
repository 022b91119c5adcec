// densa/infer's initializers: rollup.config.mjs swaps this file in for index.ts in the densa-infer bundles.
// A model there comes from a file, weights and all, and is never trained, so no weight is ever initialized: an
// initializer is only checked by name (an unknown one is refused as in "densa") and kept as the config the file
// gave it, for getConfig. NOTE: this keeps the sampling code (random.ts and its kernels' callers) out of every
// inference app.
import { namedClass } from "../utils/named-class.js";
import { Initializer, type InitializerConfig } from "./initializer.js";

export { Initializer, type InitializerConfig } from "./initializer.js";
export type InitializerIdentifier = Initializer | string | InitializerConfig;

/** Keras's initializer classes, as index.ts knows them. */
const CLASS_NAMES = [
  "Zeros",
  "Ones",
  "Constant",
  "Identity",
  "RandomNormal",
  "RandomUniform",
  "TruncatedNormal",
  "VarianceScaling",
  "GlorotUniform",
  "GlorotNormal",
  "HeUniform",
  "HeNormal",
  "LecunUniform",
  "LecunNormal",
  "Orthogonal",
];

/** An initializer of a loaded model: its config, and no way to draw weights. */
class LoadedInitializer extends Initializer {
  constructor(
    readonly className: string,
    private readonly config: Record<string, unknown>,
  ) {
    super();
  }

  fill(): void {
    throw new Error(
      `${this.className}: densa/infer loads weights and does not initialize them; build and train models with "densa"`,
    );
  }

  override getConfig(): InitializerConfig {
    return { className: this.className, config: { ...this.config } };
  }
}

/** Resolves "glorotUniform", "glorot_uniform", { className, config } or an instance, as index.ts does. */
export function resolveInitializer(identifier: InitializerIdentifier, argument: string): Initializer {
  if (identifier instanceof Initializer) return identifier;
  const named = namedClass(identifier, CLASS_NAMES);
  if (!named) {
    const known = CLASS_NAMES.map((known) => known[0].toLowerCase() + known.slice(1));
    throw new Error(
      `${argument}: unknown initializer ${JSON.stringify(identifier)}; expected one of ${known.join(", ")}`,
    );
  }
  return new LoadedInitializer(named.className, named.config);
}
