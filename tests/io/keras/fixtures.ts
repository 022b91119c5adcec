// The real Keras files in ../shared/fixtures/keras-files (read in place, never copied; see its SOURCES.md), with
// what each needs that densa may not have yet, so that tests skip them visibly until it lands.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { canonicalActivationName } from "../../../ts/activations.js";
import { Hdf5File } from "../../../ts/io/hdf5/hdf5-file.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { readLegacyJson } from "../../../ts/io/keras/legacy-h5-reader.js";
import { LAYER_CLASSES } from "../../../ts/layers/registry.js";

export const KERAS_FILES_DIR = fileURLToPath(new URL("../../../../shared/fixtures/keras-files/", import.meta.url));
export const haveKerasFiles = existsSync(KERAS_FILES_DIR);
if (!haveKerasFiles)
  console.warn(`SKIPPED: ${KERAS_FILES_DIR} is absent (the Keras fixture files live beside the checkout in ../shared)`);

export interface KerasFixture {
  name: string;
  file: string;
  bytes: Uint8Array;
  inputs: { inputs: number[][] | number[][][]; shape: number[] | number[][]; input_names: string[] };
  expected: { outputs: number[][]; shape: number[] };
  /** Why densa cannot open it yet (a layer class, an activation, a Functional model), or null. */
  missing: string | null;
  /** A Functional (or Keras 2 "Model") config rather than a Sequential one (tests that read configs tell them apart). */
  functional: boolean;
  config: Record<string, unknown>;
}

export function kerasFixtures(): KerasFixture[] {
  if (!haveKerasFiles) return [];
  return readdirSync(KERAS_FILES_DIR)
    .filter((file) => /\.(keras|h5)$/.test(file))
    .sort()
    .map((file) => {
      const name = file.replace(/\.(keras|h5)$/, "");
      const bytes = new Uint8Array(readFileSync(KERAS_FILES_DIR + file));
      const json = (suffix: string) => JSON.parse(readFileSync(`${KERAS_FILES_DIR}${name}.${suffix}.json`, "utf8"));
      const config = configOf(bytes);
      return {
        name,
        file,
        bytes,
        inputs: json("inputs"),
        expected: json("expected"),
        missing: missingFeature(config),
        functional: config.class_name !== "Sequential",
        config,
      };
    });
}

function configOf(bytes: Uint8Array): Record<string, unknown> {
  if (bytes[0] === 0x50) return readKerasArchive(bytes, "fixture").config;
  return readLegacyJson(new Hdf5File(bytes), "model_config", "fixture") as Record<string, unknown>;
}

function missingFeature(config: Record<string, unknown>): string | null {
  if (!["Sequential", "Functional", "Model"].includes(String(config.class_name)))
    return `a ${String(config.class_name)} model (not a model class densa builds)`;
  const inner = config.config as { layers?: unknown[] } | unknown[];
  const layers = (Array.isArray(inner) ? inner : (inner.layers ?? [])) as {
    class_name: string;
    config: { activation?: unknown };
  }[];
  const classes = [...new Set(layers.map((layer) => layer.class_name).filter((name) => !(name in LAYER_CLASSES)))];
  if (classes.length) return `layer class ${classes.join(", ")} (not in densa yet)`;
  const activations = layers
    .map((layer) => layer.config.activation)
    .filter((name): name is string => typeof name === "string" && !knownActivation(name));
  if (activations.length) return `activation ${[...new Set(activations)].join(", ")} (not in densa yet)`;
  return null;
}

/** |actual − expected| ≤ 1e-5 + 1e-4·|expected| everywhere (SOURCES.md's tolerance); the first miss, or null. */
export function firstMiss(actual: ArrayLike<number>, expected: readonly number[]): string | null {
  if (actual.length !== expected.length) return `${actual.length} values, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 + 1e-4 * Math.abs(expected[i])))
      return `value ${i}: ${actual[i]} vs ${expected[i]}`;
  }
  return null;
}

function knownActivation(name: string): boolean {
  try {
    canonicalActivationName(name, "activation");
    return true;
  } catch {
    return false;
  }
}
