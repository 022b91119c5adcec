import * as esbuild from "esbuild";

const entry = process.argv[2];
const r = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  splitting: true,
  outdir: "/tmp/metaout",
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
  metafile: true,
  loader: { ".wasm": "binary" },
});
for (const [k, o] of Object.entries(r.metafile.outputs)) {
  console.log(k, o.bytes);
  if (o.bytes < 100000 && !o.entryPoint) continue;
  const ins = Object.entries(o.inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, +process.argv[3] || 40);
  for (const [f, i] of ins) console.log("  ", i.bytesInOutput, f);
}
