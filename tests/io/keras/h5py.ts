// h5py (Debian's python3-h5py) as the trusted HDF5 reference: finds a python3 that imports it, and runs scripts.
import { spawnSync } from "node:child_process";

const CANDIDATES = ["/usr/bin/python3", "python3"];

/** A python3 executable that has h5py and numpy, or null (tests then skip, saying so). */
export const python = CANDIDATES.find((candidate) => spawnSync(candidate, ["-c", "import h5py, numpy"], { encoding: "utf8" }).status === 0) ?? null;
if (!python) console.warn("SKIPPED: no python3 with h5py found (apt install python3-h5py); the h5py cross-checks do not run");

/** Runs a python script with arguments; returns its stdout parsed as JSON (the script prints one JSON value). */
export function runPython(script: string, ...args: string[]): any {
  const result = spawnSync(python!, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Every object of an HDF5 file (or of model.weights.h5 inside a .keras) as h5py sees it: path → kind, dtype, shape, attributes, values. */
export const DUMP_H5 = `
import sys, json, zipfile, io, h5py, numpy as np
path = sys.argv[1]
data = open(path, 'rb').read()
if data[:2] == b'PK':
    data = zipfile.ZipFile(io.BytesIO(data)).read('model.weights.h5')
f = h5py.File(io.BytesIO(data), 'r')
def attr(v):
    if isinstance(v, bytes): return v.decode()
    if isinstance(v, np.ndarray): return [attr(x) for x in v.tolist()]
    if isinstance(v, (np.generic,)): return v.item()
    return v
out = {}
def visit(name, obj):
    entry = {'attrs': {k: attr(obj.attrs[k]) for k in obj.attrs}}
    if isinstance(obj, h5py.Dataset):
        entry.update(kind='dataset', dtype=str(obj.dtype), shape=list(obj.shape), values=np.asarray(obj[()]).astype(float).ravel().tolist())
    else:
        entry['kind'] = 'group'
    out[name] = entry
out['/'] = {'kind': 'group', 'attrs': {k: attr(f.attrs[k]) for k in f.attrs}}
f.visititems(visit)
print(json.dumps(out))
`;
