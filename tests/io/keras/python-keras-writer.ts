// Writes synthetic Keras files with h5py and Python's zipfile (an HDF5 writer independent of densa's), laid out
// as Keras 3's saving_lib lays them out; the spec says which values go where.
import { runPython } from "./h5py.js";

export interface SyntheticSpec {
  /** config.json (a Keras 3 model config, with compile_config if wanted). */
  config: unknown;
  /** HDF5 dataset path → { dtype, shape, values }; group path → attributes. */
  datasets: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  attributes?: Record<string, Record<string, string>>;
  /** h5py's libver ("earliest" as Keras; "latest" for the newer structures). */
  libver?: "earliest" | "latest";
  /** Write the weights file with gzip-compressed, chunked datasets. */
  compressed?: boolean;
}

const SCRIPT = `
import sys, json, io, zipfile, h5py, numpy as np
spec = json.loads(open(sys.argv[1]).read())
buf = io.BytesIO()
with h5py.File(buf, 'w', libver=spec.get('libver', 'earliest')) as f:
    for path, d in spec['datasets'].items():
        data = np.array(d['values'], dtype=d['dtype']).reshape(d['shape'])
        if spec.get('compressed') and data.ndim > 0 and data.size > 1:
            f.create_dataset(path, data=data, compression='gzip', chunks=tuple(max(1, s // 2) for s in data.shape), shuffle=True)
        else:
            f.create_dataset(path, data=data)
    for path, attrs in (spec.get('attributes') or {}).items():
        group = f.require_group(path)
        for k, v in attrs.items(): group.attrs[k] = v
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    z.writestr('metadata.json', json.dumps({'keras_version': '3.6.0', 'date_saved': '2026-01-01@00:00:00'}))
    z.writestr('config.json', json.dumps(spec['config']))
    z.writestr('model.weights.h5', buf.getvalue())
print('true')
`;

export function writeSyntheticKeras(
  spec: SyntheticSpec,
  specPath: string,
  outPath: string,
  writeFile: (path: string, text: string) => void,
): void {
  writeFile(specPath, JSON.stringify(spec));
  runPython(SCRIPT, specPath, outPath);
}

/** A Keras 3 Sequential config of Dense layers (units, name each) on `inputs` features. */
export function denseSequentialConfig(
  inputs: number,
  dense: { units: number; name: string; activation?: string }[],
  compile?: unknown,
): Record<string, unknown> {
  const layers = [
    {
      module: "keras.layers",
      class_name: "InputLayer",
      config: { batch_shape: [null, inputs], dtype: "float32", name: "input_layer" },
      registered_name: null,
    },
    ...dense.map((layer) => ({
      module: "keras.layers",
      class_name: "Dense",
      config: {
        name: layer.name,
        trainable: true,
        dtype: "float32",
        units: layer.units,
        activation: layer.activation ?? "linear",
        use_bias: true,
      },
      registered_name: null,
    })),
  ];
  return {
    module: "keras",
    class_name: "Sequential",
    config: { name: "sequential", trainable: true, layers },
    registered_name: null,
    ...(compile ? { compile_config: compile } : {}),
  };
}
