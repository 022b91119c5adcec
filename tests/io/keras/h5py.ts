// h5py (Debian's python3-h5py) as the trusted HDF5 reference: finds a python3 that imports it, and runs scripts.
import { execFile, spawnSync } from "node:child_process";

const CANDIDATES = ["/usr/bin/python3", "python3"];

/** A python3 executable that has h5py and numpy, or null (tests then skip, saying so). */
export const python =
  CANDIDATES.find(
    (candidate) => spawnSync(candidate, ["-c", "import h5py, numpy"], { encoding: "utf8" }).status === 0,
  ) ?? null;
if (!python)
  console.warn("SKIPPED: no python3 with h5py found (apt install python3-h5py); the h5py cross-checks do not run");

/** Runs a python script with arguments; returns its stdout parsed as JSON (the script prints one JSON value). */
export function runPython(script: string, ...args: string[]): any {
  const result = spawnSync(python!, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * runPython without blocking the event loop (a long synchronous child keeps vitest's worker from answering its
 * runner, which then reports a timeout).
 */
export function runPythonAsync(script: string, ...args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(python!, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
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

/**
 * Every layer's stored values by layer name, read as Keras reads them, in Python alone: a `.keras` by Keras 3's
 * saving_lib rule (config order, `layers/<snake_case class>[_k]`, counted per model, nested models under their
 * group; Keras 2.15 on Windows wrote `layers\\dense`), a legacy `.h5` through layer_names / weight_names.
 */
export const WEIGHTS_BY_LAYER = `
import sys, json, zipfile, io, re, h5py, numpy as np
data = open(sys.argv[1], 'rb').read()
def snake(name):
    name = re.sub(r"\\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\\1_\\2", name)
    name = re.sub("([a-z])([A-Z])", r"\\1_\\2", name)
    return name.lower()
def dec(v): return v.decode() if isinstance(v, bytes) else str(v)
def entry(ds):
    a = np.asarray(ds[()])
    return {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.astype(float).ravel().tolist()}
out = {}
if data[:2] == b'PK':
    z = zipfile.ZipFile(io.BytesIO(data))
    config = json.loads(z.read('config.json'))
    f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
    def lookup(path):
        if path in f: return f[path]
        windows = path.replace('layers/', 'layers\\\\', 1)
        return f[windows] if windows in f else None
    def walk(model, prefix):
        c = model['config']
        layers = c if isinstance(c, list) else c['layers']
        if model['class_name'] == 'Sequential': layers = [l for l in layers if l['class_name'] != 'InputLayer']
        used = {}
        for l in layers:
            s = snake(l['class_name']); k = used.get(s, 0); used[s] = k + 1
            p = prefix + 'layers/' + (s if k == 0 else '%s_%d' % (s, k))
            if l['class_name'] in ('Sequential', 'Functional', 'Model'):
                walk(l, p + '/'); continue
            g = lookup(p + '/vars')
            out[l['config']['name']] = [entry(g[str(i)]) for i in sorted(map(int, g.keys()))] if g is not None else []
    walk(config, '')
else:
    f = h5py.File(io.BytesIO(data), 'r')
    root = f['model_weights'] if 'model_weights' in f else f
    for name in [dec(n) for n in root.attrs['layer_names']]:
        g = root[name]
        out[name] = [entry(g[dec(w)]) for w in g.attrs['weight_names']]
print(json.dumps(out))
`;
