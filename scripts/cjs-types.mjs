// CommonJS TypeScript consumers (module Node16/NodeNext in a CJS project) resolve `require` to .d.cts files:
// an ESM .d.ts there fails with TS1479. This writes a .d.cts twin of every emitted declaration, with relative
// specifiers pointing at the twins.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".d.ts")) {
      const source = readFileSync(path, "utf8");
      const twin = source.replace(/(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.js\2/g, "$1$2$3.cjs$2");
      writeFileSync(path.slice(0, -".d.ts".length) + ".d.cts", twin);
    }
  }
}

walk("dist/types");
