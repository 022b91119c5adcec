// The docs' code blocks that are marked runnable run as written, against the built package, and print what the
// docs say they print: so the docs cannot rot.
//
// Marking, in README.md and docs/API.md:
//   <!-- docs-test: NAME … -->         on the line before a ```js block: the block runs as an ES module in
//                                      the project root (`import … from "densa"` resolves to the package, dist/)
//   <!-- docs-test-output: NAME … -->  on the line before a ```text block: what the block NAME prints, exactly;
//                                      with "first lines" in the marker, the first lines of it
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assertBuilt, projectRoot } from "./run-example.js";

interface Snippet {
  file: string;
  name: string;
  code: string;
  output?: { text: string; firstLines: boolean };
}

/** The fenced block of `language` that starts on the line after `markerEnd`, or an error naming the marker. */
function blockAfter(text: string, markerEnd: number, language: string, where: string): string {
  const fence = `\`\`\`${language}\n`;
  const start = markerEnd + 1;
  if (!text.startsWith(fence, start))
    throw new Error(`${where}: the marker must be followed by a \`\`\`${language} block on the next line`);
  const end = text.indexOf("\n```", start + fence.length - 1);
  if (end < 0) throw new Error(`${where}: the \`\`\`${language} block is not closed`);
  return text.slice(start + fence.length, end + 1);
}

function snippetsOf(file: string): Snippet[] {
  const text = readFileSync(`${projectRoot}${file}`, "utf8");
  const snippets = new Map<string, Snippet>();
  for (const match of text.matchAll(/<!-- docs-test: ([\w-]+)[^\n]*-->/g)) {
    const where = `${file}: docs-test ${match[1]}`;
    if (snippets.has(match[1])) throw new Error(`${where}: the name is used twice`);
    snippets.set(match[1], {
      file,
      name: match[1],
      code: blockAfter(text, match.index! + match[0].length, "js", where),
    });
  }
  for (const match of text.matchAll(/<!-- docs-test-output: ([\w-]+)([^\n]*)-->/g)) {
    const where = `${file}: docs-test-output ${match[1]}`;
    const snippet = snippets.get(match[1]);
    if (!snippet) throw new Error(`${where}: no docs-test block of that name in the file`);
    snippet.output = {
      text: blockAfter(text, match.index! + match[0].length, "text", where),
      firstLines: match[2].includes("first lines"),
    };
  }
  return [...snippets.values()];
}

const snippets = ["README.md", "docs/API.md"].flatMap(snippetsOf);

describe("runnable code blocks of README.md and docs/API.md", () => {
  it("the docs mark their Functional API and layer examples runnable", () => {
    const count = (file: string) => snippets.filter((snippet) => snippet.file === file).length;
    expect(count("README.md")).toBeGreaterThanOrEqual(2);
    expect(count("docs/API.md")).toBeGreaterThanOrEqual(2);
  });

  it.each(snippets.map((snippet) => [`${snippet.file} ${snippet.name}`, snippet] as const))(
    "%s runs as written",
    (_, snippet) => {
      assertBuilt();
      expect(snippet.code, "a snippet draws no unseeded randomness").not.toMatch(/Math\.random|crypto\./);
      // NOTE: --eval code resolves "densa" from the working directory: the package's self-reference, i.e. dist/.
      const run = spawnSync(process.execPath, ["--input-type=module", "--eval", snippet.code], {
        cwd: projectRoot,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      if (!snippet.output) return;
      const expected = snippet.output.text;
      if (snippet.output.firstLines) {
        const lines = expected.split("\n").length - 1;
        expect(`${run.stdout.split("\n").slice(0, lines).join("\n")}\n`).toBe(expected);
      } else {
        expect(run.stdout).toBe(expected);
      }
    },
  );
});
