// TypeScript consumers: the README's example must type-check against the shipped declarations under the
// two resolutions people use (NodeNext for Node, Bundler for Vite/esbuild/wrangler). skipLibCheck is off so
// the package's own .d.ts files are checked too (a declaration pointing at a file missing from `files`
// fails here, not in a user's editor).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, tail } from "../harness/process.mjs";
import { entryFile } from "../harness/report.mjs";

const PROGRAM = `import { init, tensor, ops, Tensor } from "densa";

await init();
const product: Tensor = ops.matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
const rows = product.toArray();
const shape: readonly number[] = product.shape;
export { rows, shape };
`;

const RESOLUTIONS = [
  { module: "NodeNext", moduleResolution: "NodeNext" },
  { module: "ESNext", moduleResolution: "Bundler" },
];

export const types = {
  name: "types",
  expectedEntry: "dist/types/ts/index.d.ts",
  summary: `tsc ${RESOLUTIONS.map((resolution) => resolution.moduleResolution).join(" + ")}`,
  async run({ projectRoot, consumerDir, timeoutMs }) {
    const dir = join(consumerDir, "types");
    mkdirSync(dir);
    writeFileSync(join(dir, "consumer.ts"), PROGRAM);
    const tsc = join(projectRoot, "node_modules/typescript/bin/tsc");
    const entries = new Set();
    for (const resolution of RESOLUTIONS) {
      const compilerOptions = {
        ...resolution, target: "ES2022", lib: ["ES2022", "DOM"], types: [], strict: true, noEmit: true, skipLibCheck: false,
      };
      const config = `tsconfig.${resolution.moduleResolution}.json`;
      writeFileSync(join(dir, config), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
      const result = await run(process.execPath, [tsc, "-p", config, "--listFiles"], { cwd: dir, timeoutMs });
      if (result.timedOut) throw new Error(`tsc (${resolution.moduleResolution}) timed out after ${timeoutMs} ms`);
      if (result.code !== 0) {
        const errors = result.stdout.split("\n").filter((line) => line.includes("error TS")).join("\n");
        throw new Error(`tsc (${resolution.moduleResolution}): ${tail(errors || result.stderr || result.stdout)}`);
      }
      const index = result.stdout.split("\n").find((file) => file.endsWith("node_modules/densa/dist/types/ts/index.d.ts"));
      entries.add(entryFile(index) ?? `no densa types (${resolution.moduleResolution})`);
    }
    return { entry: [...entries].join(", ") };
  },
  judge(report, expectedEntry) {
    return report.entry === expectedEntry ? [] : [`"densa" types resolved to ${report.entry}, expected ${expectedEntry}`];
  },
};
