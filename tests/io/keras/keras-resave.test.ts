// Every real Keras file densa opens, saved again by densa as .keras: it reopens in densa bit-exact, and h5py finds
// each layer's values where Keras 3 looks for them, with the dtypes and shapes of Keras's own file of the same
// model; against the Keras 3 fixtures the archive matches entry for entry (config.json keys, layer order,
// inbound nodes, HDF5 paths, dtypes, shapes and attributes).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { init, loadModel } from "../../../ts/index.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { KERAS_FILES_DIR, kerasFixtures } from "./fixtures.js";
import { DUMP_H5, python, runPythonAsync, WEIGHTS_BY_LAYER } from "./h5py.js";

const fixtures = kerasFixtures().filter((fixture) => fixture.missing === null);
const scratch = mkdtempSync(join(tmpdir(), "densa-resave-"));

beforeAll(async () => {
  await init();
});

/** Keys Keras added to a layer's config after the version that wrote a fixture (densa writes 3.14's). */
const NEWER_KEYS = new Set(["optional", "ragged", "renorm", "renorm_clipping", "renorm_momentum"]);
/** Keys Keras writes that densa leaves out, each for a reason: quantization_config (3.14, null for float layers). */
const KERAS_ONLY_KEYS = new Set(["quantization_config"]);

function sameKeys(ours: Record<string, unknown>, keras: Record<string, unknown>, where: string) {
  const extra = Object.keys(ours).filter((key) => !(key in keras) && !NEWER_KEYS.has(key));
  const missing = Object.keys(keras).filter((key) => !(key in ours) && !KERAS_ONLY_KEYS.has(key));
  expect({ where, extra, missing }).toEqual({ where, extra: [], missing: [] });
}

const values = (model: Awaited<ReturnType<typeof loadModel>>) =>
  model.layers.flatMap((layer) => layer.weights.map((variable) => Array.from(variable.read().data)));
const nodes = (layer: any) => JSON.stringify(layer.inbound_nodes ?? null);
const refs = (value: any) => (Array.isArray(value) && typeof value[0] === "string" ? [value] : value);

describe("Keras files saved again by densa", () => {
  test.skipIf(fixtures.length > 0)("SKIPPED: ../shared/fixtures/keras-files is absent", () => {});

  for (const fixture of fixtures) {
    const kerasThree = fixture.file.startsWith("k3_");
    test(`${fixture.file} → toKeras → reopens bit-exact${python ? ", h5py finds each layer's values where Keras does" : " (h5py checks SKIPPED: no python3-h5py)"}${kerasThree ? ", matches Keras's archive" : ""}`, async () => {
      const model = await loadModel(fixture.bytes);
      const bytes = await model.toKeras();
      const again = await loadModel(bytes);
      expect(values(again)).toEqual(values(model));
      expect(again.optimizer?.iterations).toBe(model.optimizer?.iterations);
      const trainable = (m: typeof model) => m.layers.flatMap((layer) => layer.trainableWeights);
      const state = (m: typeof model) =>
        m.optimizer!.getWeights(trainable(m)).map((w) => [w.name, Array.from(w.values)]);
      expect(state(again)).toEqual(state(model));
      expect(ZipArchive.open(bytes, "test").entries.size).toBe(3);
      const ours = readKerasArchive(bytes, "ours").config as any;
      if (kerasThree) {
        const keras = fixture.config as any;
        sameKeys(ours, keras, "model");
        sameKeys(ours.config, keras.config, "model config");
        expect(ours.class_name).toBe(keras.class_name);
        expect(ours.config.layers.map((l: any) => [l.class_name, l.config.name])).toEqual(
          keras.config.layers.map((l: any) => [l.class_name, l.config.name]),
        );
        ours.config.layers.forEach((layer: any, i: number) => {
          const theirs = keras.config.layers[i];
          sameKeys(layer, theirs, `layer ${i} entry`);
          sameKeys(layer.config, theirs.config, `layer ${i} (${theirs.class_name}) config`);
          expect(nodes(layer), `layer ${i} inbound_nodes`).toBe(nodes(theirs));
          // NOTE: a layer built by adapt() records the data's batch size (Normalization: [314, 9]); a call records None.
          const perSample = (config: any) => config && { input_shape: [null, ...config.input_shape.slice(1)] };
          expect(perSample(layer.build_config), `layer ${i} build_config`).toEqual(perSample(theirs.build_config));
        });
        if (keras.class_name === "Functional") {
          expect(refs(ours.config.input_layers)).toEqual(refs(keras.config.input_layers));
          expect(refs(ours.config.output_layers)).toEqual(refs(keras.config.output_layers));
        }
        sameKeys(ours.compile_config, keras.compile_config, "compile_config");
      }
      if (python) {
        const path = join(scratch, `${fixture.name}.keras`);
        writeFileSync(path, bytes);
        const [mine, theirs] = await Promise.all([
          runPythonAsync(WEIGHTS_BY_LAYER, path),
          runPythonAsync(WEIGHTS_BY_LAYER, KERAS_FILES_DIR + fixture.file),
        ]);
        const stored = (table: Record<string, any[]>) =>
          Object.fromEntries(Object.entries(table).filter(([, list]) => list.length > 0));
        const comparable = (table: Record<string, any[]>) =>
          // NOTE: densa does not keep Normalization's count (an int64 Keras only uses for adapt): dtype and shape only.
          Object.fromEntries(
            Object.entries(stored(table)).map(([name, list]) => [
              name,
              list.map((e) => (e.dtype.startsWith("int") ? { ...e, values: null } : e)),
            ]),
          );
        expect(comparable(mine)).toEqual(comparable(theirs));
        if (kerasThree) {
          const layout = (dump: any, withNames: boolean) =>
            Object.fromEntries(
              Object.entries(dump).map(([name, e]: [string, any]) => [
                name,
                [e.kind, e.dtype, e.shape, Object.keys(e.attrs).filter((key) => withNames || key !== "name")],
              ]),
            );
          const [theirsDump, oursDump] = await Promise.all([
            runPythonAsync(DUMP_H5, KERAS_FILES_DIR + fixture.file),
            runPythonAsync(DUMP_H5, path),
          ]);
          // NOTE: Keras before 3.6 wrote no name attribute on vars groups; densa writes 3.14's layout.
          const namesWritten = Object.values(theirsDump).some((e: any) => "name" in e.attrs);
          expect(layout(oursDump, namesWritten)).toEqual(layout(theirsDump, namesWritten));
          if (namesWritten) {
            for (const [name, e] of Object.entries(theirsDump) as [string, any][]) {
              if (name.startsWith("layers/")) expect((oursDump as any)[name].attrs.name, name).toBe(e.attrs.name);
            }
          }
        }
      }
      model.dispose();
      again.dispose();
    });
  }
});
