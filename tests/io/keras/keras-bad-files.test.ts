// Bad Keras files: each is an Error that names the problem, thrown before a model exists, with no wasm memory
// left behind and no hang — truncated zips, wrong magic, escaping entries, zip and deflate bombs, HDF5 outside
// the supported subset, dtypes and shapes that disagree with the config, unknown and custom classes.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, zipSync } from "fflate";
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../../ts/engine/engine.js";
import { init, layers, loadModel, Sequential } from "../../../ts/index.js";
import { loadModel as loadForInference } from "../../../ts/infer.js";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { writeZip } from "../../../ts/io/zip/zip-writer.js";
import { python, runPython } from "./h5py.js";
import { denseSequentialConfig, writeSyntheticKeras } from "./python-keras-writer.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-keras-bad-"));
let good: Uint8Array;
let counter = 0;

beforeAll(async () => {
  await init();
  const model = new Sequential([new layers.Dense(4, { inputShape: [3], activation: "relu" }), new layers.Dense(1)], {
    name: "small",
  });
  model.compile({ optimizer: "adam", loss: "mse" });
  good = await model.toKeras();
  model.dispose();
});

const memory = () => ({ bytes: getEngine().allocator.bytesInUse, blocks: getEngine().allocator.liveBlocks });

/** Loading `bytes` fails with an Error matching `pattern`, in both entries, leaving memory as it was. */
async function refused(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const before = memory();
  await expect(loadModel(bytes)).rejects.toThrow(pattern);
  await expect(loadForInference(bytes)).rejects.toThrow(pattern);
  expect(memory()).toEqual(before);
}

const text = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

/** A copy of the good archive with one entry replaced. */
function withEntry(name: string, data: Uint8Array): Uint8Array {
  const zip = ZipArchive.open(good, "test");
  return writeZip(
    [...zip.entries.keys()].map((entry) => ({ name: entry, data: entry === name ? data : zip.read(entry)! })),
  );
}

describe("zip containers", () => {
  test("truncated anywhere: an Error saying so, never a model", async () => {
    for (const length of [0, 3, 30, 100, good.length >> 1, good.length - 30, good.length - 1]) {
      await refused(
        good.slice(0, length),
        length < 4 ? /not a Keras file/ : /truncated|corrupt|end-of-central-directory|past/,
      );
    }
  });

  test("wrong magic is refused, naming both magics", async () => {
    await refused(text("hello, not a model"), /PK\\x03\\x04.*\\x89HDF/);
  });

  test("entries escaping with ../ or an absolute path are refused", async () => {
    for (const name of ["../config.json", "a/../../x", "/etc/passwd", "C:\\x", "a\\..\\..\\b"]) {
      await refused(writeZip([{ name, data: text("{}") }]), /escapes the archive/);
    }
  });

  test("a deflated entry claiming more than the ratio limit, or expanding beyond its declared size, is refused", async () => {
    const zeros = new Uint8Array(5 << 20);
    const bomb = zipSync({ "config.json": [zeros, { level: 9 }] });
    await refused(bomb, /compression ratio/);
    // Declared 10 bytes, inflates to 5 MiB: inflating stops at 11 bytes.
    const small = zipSync({ "config.json": [text("{}".padEnd(10)), { level: 9 }] });
    const liar = withDeclaredSize(small, 10, deflateSync(zeros, { level: 9 }));
    await refused(liar, /expands to more than 10 bytes|CRC|corrupt/);
  });

  test("more entries than the limit are refused before any is read", async () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 1001; i++) many[`f${i}`] = new Uint8Array(0);
    await refused(zipSync(many, { level: 0 }), /1001 entries, more than the limit of 1000/);
  });

  test("a corrupt entry fails its CRC-32; missing config.json or invalid JSON are named", async () => {
    const flipped = good.slice();
    flipped[60] ^= 0xff; // inside metadata.json's bytes
    await refused(flipped, /CRC-32|not valid JSON/);
    await refused(writeZip([{ name: "metadata.json", data: text({}) }]), /no config.json/);
    await refused(withEntry("config.json", text("{not json")), /config.json in the .keras archive is not valid JSON/);
  });
});

/** A one-entry deflated zip whose data is replaced by `stream` and whose sizes claim `size`. */
function withDeclaredSize(zip: Uint8Array, size: number, stream: Uint8Array): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset);
  const nameLength = view.getUint16(26, true);
  const name = zip.subarray(30, 30 + nameLength);
  const bytes = writeZip([{ name: new TextDecoder().decode(name), data: stream }]);
  const out = new DataView(bytes.buffer);
  // Turn the stored entry into a deflated one (method 8) that claims `size` uncompressed bytes.
  const central = out.getUint32(bytes.length - 6, true);
  out.setUint16(8, 8, true);
  out.setUint32(22, size, true);
  out.setUint16(central + 10, 8, true);
  out.setUint32(central + 24, size, true);
  return bytes;
}

describe("configs and weights that disagree", () => {
  test("unknown and custom layer classes are named; a custom loss is named and { compile: false } skips it", async () => {
    const config = JSON.parse(new TextDecoder().decode(ZipArchive.open(good, "t").read("config.json")!));
    config.config.layers[1].class_name = "MyAttention";
    config.config.layers[1].registered_name = "Custom>MyAttention";
    await refused(
      withEntry("config.json", text(config)),
      /"MyAttention" \(registered as "Custom>MyAttention", a custom object\)/,
    );
    const lossy = JSON.parse(new TextDecoder().decode(ZipArchive.open(good, "t").read("config.json")!));
    lossy.compile_config.loss = {
      module: null,
      class_name: "FocalThing",
      config: {},
      registered_name: "Custom>FocalThing",
    };
    const bytes = withEntry("config.json", text(lossy));
    const before = memory();
    await expect(loadModel(bytes)).rejects.toThrow(/FocalThing.*compile: false/s);
    expect(memory()).toEqual(before);
    const model = await loadModel(bytes, { compile: false });
    expect(model.optimizer).toBeNull();
    model.dispose();
  });

  test("a shape that disagrees with the config is named with both shapes", async () => {
    const config = JSON.parse(new TextDecoder().decode(ZipArchive.open(good, "t").read("config.json")!));
    config.config.layers[1].config.units = 5;
    await refused(withEntry("config.json", text(config)), /shape \[3, 4\].*\[3, 5\]/);
  });

  test("a layer's vars count that disagrees with its class is named", async () => {
    const config = JSON.parse(new TextDecoder().decode(ZipArchive.open(good, "t").read("config.json")!));
    config.config.layers[1].config.use_bias = false;
    await refused(
      withEntry("config.json", text(config)),
      /holds 2 variables; Keras's Dense with this config keeps 1 \(kernel\)/,
    );
  });

  test.skipIf(!python)("integer weights where the config wants floats are refused (an h5py-written file)", async () => {
    const base = join(scratch, `int-${counter++}`);
    const config = denseSequentialConfig(2, [{ units: 1, name: "d" }]);
    writeSyntheticKeras(
      {
        config,
        datasets: {
          "layers/dense/vars/0": { dtype: "int32", shape: [2, 1], values: [1, 2] },
          "layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0] },
        },
      },
      `${base}.json`,
      `${base}.keras`,
      (p, t) => writeFileSync(p, t),
    );
    await refused(new Uint8Array(readFileSync(`${base}.keras`)), /kernel .* is int32; a weight must be a float/);
  });
});

describe.skipIf(!python)("HDF5 outside the supported subset: an Error naming the feature", () => {
  /** An .h5 written by h5py with a script body that fills `f`, then loaded as a model. */
  function h5(body: string, libver = "earliest"): Uint8Array {
    const path = join(scratch, `feature-${counter++}.h5`);
    runPython(
      `
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], 'w', libver='${libver}')
f.attrs['model_config'] = json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1, "batch_input_shape": [None, 2]}}]}})
g = f.create_group('model_weights')
g.attrs['layer_names'] = [b'd']
d = g.create_group('d')
d.attrs['weight_names'] = [b'd/kernel:0', b'd/bias:0']
${body}
f.close()
print('true')`,
      path,
    );
    return new Uint8Array(readFileSync(path));
  }

  test("big-endian floats", async () => {
    await refused(
      h5(
        "d.create_dataset('d/kernel:0', data=np.ones((2,1), dtype='>f4')); d.create_dataset('d/bias:0', data=np.zeros(1, dtype='<f4'))",
      ),
      /big-endian/,
    );
  });

  test("compound datatypes", async () => {
    await refused(
      h5(
        "d.create_dataset('d/kernel:0', data=np.zeros((2,1), dtype=[('a','<f4'),('b','<f4')])); d.create_dataset('d/bias:0', data=np.zeros(1, dtype='<f4'))",
      ),
      /compound/,
    );
  });

  test("soft links", async () => {
    await refused(
      h5(
        "d.create_dataset('real', data=np.zeros((2,1), dtype='<f4')); d['d/kernel:0'] = h5py.SoftLink('/model_weights/d/real'); d.create_dataset('d/bias:0', data=np.zeros(1, dtype='<f4'))",
        "latest",
      ),
      /soft link/,
    );
  });

  test("chunked data with a version-4 chunk index (libver latest)", async () => {
    await refused(
      h5(
        "d.create_dataset('d/kernel:0', data=np.zeros((2,1), dtype='<f4'), chunks=(1,1)); d.create_dataset('d/bias:0', data=np.zeros(1, dtype='<f4'))",
        "latest",
      ),
      /version-4 chunk index/,
    );
  });

  test("the lzf filter", async () => {
    await refused(
      h5(
        "d.create_dataset('d/kernel:0', data=np.zeros((2,1), dtype='<f4'), compression='lzf'); d.create_dataset('d/bias:0', data=np.zeros(1, dtype='<f4'))",
      ),
      /filter #32000 is not supported/,
    );
  });

  test("newer structures that are supported read fine: libver latest, contiguous (superblock v3, v2 headers, link messages)", async () => {
    const bytes = h5(
      "d.create_dataset('d/kernel:0', data=np.array([[2.0],[3.0]], dtype='<f4')); d.create_dataset('d/bias:0', data=np.array([1.0], dtype='<f4'))",
      "latest",
    );
    const model = await loadModel(bytes);
    expect(Array.from(model.layers[0].weights[0].read().data)).toEqual([2, 3]);
    model.dispose();
  });
});
