/**
 * The variables Keras keeps for each layer class, in the order it saves them (`layers/<path>/vars/0, 1, …`),
 * with their Keras names — densa's variables carry the same names (`dense/kernel`), so a file's values find
 * their variables by name. A variable densa does not keep (`keep: false`, Normalization's adapt counter) is
 * checked and dropped on reading and written back with Keras's value on saving.
 *
 * NOTE: a class with no entry here has no variables; a file that stores some for it is refused by name. New
 * layers plug in with one line each (the classes below that densa does not have yet are listed already).
 */
export interface KerasVariable {
  name: string;
  trainable: boolean;
  /** false: Keras saves it but densa has no such variable. */
  keep: boolean;
  /** The stored dtype when not float32 (Normalization's count is int64). */
  dtype?: "int64";
}

type Config = Record<string, unknown>;

const weight = (name: string, trainable = true): KerasVariable => ({ name, trainable, keep: true });
const withBias = (config: Config, kernel = "kernel") => [
  weight(kernel),
  ...(config.use_bias === false ? [] : [weight("bias")]),
];

export const KERAS_VARIABLES: Record<string, (config: Config) => KerasVariable[]> = {
  Dense: (config) => withBias(config),
  Conv1D: (config) => withBias(config),
  Conv2D: (config) => withBias(config),
  Embedding: () => [weight("embeddings")],
  // NOTE: a Normalization given its mean and variance in the config keeps them there, not in variables.
  Normalization: (config) =>
    config.mean != null
      ? []
      : [
          weight("mean", false),
          weight("variance", false),
          { name: "count", trainable: false, keep: false, dtype: "int64" },
        ],
  BatchNormalization: (config) => [
    ...(config.scale === false ? [] : [weight("gamma")]),
    ...(config.center === false ? [] : [weight("beta")]),
    weight("moving_mean", false),
    weight("moving_variance", false),
  ],
  LayerNormalization: (config) => [
    ...(config.scale === false ? [] : [weight("gamma")]),
    ...(config.center === false ? [] : [weight("beta")]),
  ],
  PReLU: () => [weight("alpha")],
};

/** The Keras variables of one layer config ({ class_name, config } with Keras's snake_case keys). */
export function kerasVariablesOf(className: string, config: Config): KerasVariable[] {
  const variables = KERAS_VARIABLES[className]?.(config) ?? [];
  // NOTE: Keras leaves a frozen layer's variables out of the optimizer (trainable: false in its config).
  return config.trainable === false ? variables.map((variable) => ({ ...variable, trainable: false })) : variables;
}

/**
 * Keras's to_snake_case, as its saving_lib names weight groups: BatchNormalization → batch_normalization,
 * LeakyReLU → leaky_re_lu, Conv2D → conv2d (a capitalised word after any character, then a lower-case letter
 * before a capital, each split by "_").
 */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
