// densa's HDF5 reader against h5py (the reference): files h5py writes with every datatype, layout and attribute
// form of the supported subset, in both of h5py's formats (libver "earliest", as Keras writes, and "latest"),
// must read back the values h5py reports; and densa's writer's files must read back in both readers alike.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Hdf5Dataset, Hdf5File, type Hdf5Group } from "../../../ts/io/hdf5/hdf5-file.js";
import { Hdf5Writer } from "../../../ts/io/hdf5/hdf5-writer.js";
import { python, runPython } from "../keras/h5py.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-hdf5-"));

/** Writes a file with h5py and prints, per dataset and attribute, what h5py reads: dtype, shape, values. */
const WRITE_AND_DUMP = `
import sys, json, h5py, numpy as np
path, libver = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(1)
with h5py.File(path, 'w', libver=libver) as f:
    # NOTE: at most 8 members a group: h5py's "latest" format moves larger groups to dense (fractal-heap) storage.
    for dt in ['<f2', '<f4', '<f8', '<i1', '<i2', '<i4', '<i8']:
        f.create_dataset('numbers/' + np.dtype(dt).name, data=(rng.normal(size=(3, 5)) * 50).astype(dt))
    for dt in ['<u1', '<u2', '<u4', '<u8']:
        f.create_dataset('unsigned/' + np.dtype(dt).name, data=np.abs(rng.normal(size=(3, 5)) * 50).astype(dt))
    f.create_dataset('layouts/scalar', data=np.float32(2.5))
    f.create_dataset('layouts/empty', data=np.zeros((0, 4), dtype='<f4'))
    compact = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    compact.set_layout(h5py.h5d.COMPACT)
    f.create_dataset('layouts/compact', data=np.arange(6, dtype='<f4'), dcpl=compact)
    if libver == 'earliest':
        f.create_dataset('layouts/chunked', data=rng.normal(size=(7, 9)).astype('<f4'), chunks=(3, 4))
        f.create_dataset('layouts/gzip', data=rng.normal(size=(10, 3)).astype('<f4'), chunks=(4, 2), compression='gzip', shuffle=True)
    g = f.create_group('attrs')
    g.attrs['vlen'] = 'variable ü'
    g.attrs['vlen_list'] = ['a', 'bb', 'ccc']
    g.attrs['fixed'] = np.bytes_('fixed bytes')
    g.attrs['fixed_list'] = [b'dense_1', b'activation_1']
    g.attrs['empty'] = np.array([])
    g.attrs['int'] = np.int64(42)
    g.attrs['floats'] = np.array([1.5, -2.25])
out = {}
def val(v):
    if isinstance(v, bytes): return v.decode()
    if isinstance(v, np.ndarray): return [val(x) for x in v.ravel().tolist()]
    if isinstance(v, np.generic): return v.item()
    return v
with h5py.File(path, 'r') as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = {'shape': list(obj.shape), 'values': np.asarray(obj[()]).astype(float).ravel().tolist()}
    f.visititems(visit)
    for k in f['attrs'].attrs: out['attrs@' + k] = {'values': val(f['attrs'].attrs[k]) if not isinstance(f['attrs'].attrs[k], (str, bytes, np.generic)) else [val(f['attrs'].attrs[k])]}
print(json.dumps(out))
`;

function valuesOf(file: Hdf5File, path: string) {
  const node = file.get(path);
  if (!(node instanceof Hdf5Dataset)) throw new Error(`${path} is not a dataset`);
  const value = node.read();
  return { shape: value.shape, values: Array.from(value.values as ArrayLike<number>, Number) };
}

describe.skipIf(!python)("HDF5 reader vs h5py", () => {
  for (const libver of ["earliest", "latest"]) {
    test(`every datatype, layout and attribute form h5py writes (libver ${libver})`, () => {
      const path = join(scratch, `${libver}.h5`);
      const expected = runPython(WRITE_AND_DUMP, path, libver);
      const file = new Hdf5File(new Uint8Array(readFileSync(path)));
      for (const [name, entry] of Object.entries(expected) as [string, { shape?: number[]; values: unknown[] }][]) {
        if (name.startsWith("attrs@")) {
          const attribute = (file.get("attrs") as Hdf5Group).attributes.get(name.slice(6))!;
          expect(Array.from(attribute.values as ArrayLike<unknown>), name).toEqual(entry.values);
        } else {
          expect(valuesOf(file, name), name).toEqual({ shape: entry.shape, values: entry.values });
        }
      }
    });
  }

  test("densa's writer: h5py reads the values, densa's reader the same", () => {
    const writer = new Hdf5Writer();
    const floats = Array.from({ length: 12 }, (_, i) => Math.fround(i / 7 - 0.8));
    writer.dataset("a/b/weights", { dtype: "float32", shape: [3, 4], values: floats });
    writer.dataset("a/count", { dtype: "int64", shape: [], values: [123456789012] });
    writer.dataset("a/wide", { dtype: "float64", shape: [2], values: [Math.PI, -1e300] });
    for (let i = 0; i < 40; i++) writer.dataset(`many/${i}`, { dtype: "int32", shape: [1], values: [i * 3] });
    writer.attribute("a", "names", { dtype: "string", shape: [2], values: ["kernel", "bïas"] });
    const path = join(scratch, "ours.h5");
    writeFileSync(path, writer.toBytes());
    const dump = runPython(
      `
import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], 'r') as f:
    print(json.dumps({'weights': f['a/b/weights'][()].ravel().tolist(), 'count': int(f['a/count'][()]), 'wide': f['a/wide'][()].tolist(),
                      'many': sorted(int(f['many'][k][0]) for k in f['many']), 'names': list(f['a'].attrs['names'])}))`,
      path,
    );
    expect(dump).toEqual({
      weights: floats,
      count: 123456789012,
      wide: [Math.PI, -1e300],
      many: Array.from({ length: 40 }, (_, i) => i * 3),
      names: ["kernel", "bïas"],
    });
    const file = new Hdf5File(new Uint8Array(readFileSync(path)));
    expect(valuesOf(file, "a/count").values).toEqual([123456789012]);
    expect((file.get("many") as Hdf5Group).memberNames.length).toBe(40);
  });
});
