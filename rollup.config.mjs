// One ESM + CJS bundle with the kernels inlined (Node, Deno, Bun, browsers) and one ESM bundle for the
// `workerd` condition that imports dist/densa.wasm as a module.
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";

const workerdSource = fileURLToPath(new URL("ts/engine/module-source.workerd.ts", import.meta.url));

/** Resolves `.js` specifiers to the `.ts` sources, as TypeScript's NodeNext resolution does. */
function typescriptSpecifiers({ workerd }) {
  return {
    name: "densa-resolve",
    async resolveId(source, importer) {
      if (source === "./densa.wasm") return { id: "./densa.wasm", external: true };
      if (!importer || !source.startsWith(".")) return null;
      if (workerd && source.endsWith("/module-source.js")) return workerdSource;
      if (source.endsWith(".js")) {
        const asTs = await this.resolve(source.slice(0, -3) + ".ts", importer, { skipSelf: true });
        if (asTs) return asTs;
      }
      return null;
    },
  };
}

const plugins = (workerd) => [typescriptSpecifiers({ workerd }), esbuild({ target: "es2022" })];

export default [
  {
    input: "ts/index.ts",
    external: [/^node:/],
    output: [
      { file: "dist/densa.js", format: "es" },
      { file: "dist/densa.cjs", format: "cjs" },
    ],
    plugins: plugins(false),
  },
  {
    input: "ts/index.ts",
    external: [/^node:/],
    output: { file: "dist/densa.workerd.js", format: "es" },
    plugins: plugins(true),
  },
];
