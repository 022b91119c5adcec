// A training process killed with SIGKILL in the middle of an epoch, and started again, resumes from its last
// backup (BackupAndRestore) and ends with weights bit for bit equal to a run that was never interrupted. The
// test kills the child itself when the child prints its marker — no timing decides anything — once while the
// child waits after a backup, and once just as a backup is being written (the atomic write must leave either the
// previous backup or the new one whole, wherever the kill lands).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleDensa } from "./bundle-densa.js";

const script = fileURLToPath(new URL("./fixtures/train-with-backup.mjs", import.meta.url));
let folder: string;
let densaModule: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "densa-kill-"));
  densaModule = await bundleDensa(folder);
}, 60_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the training child; with `killOnMarker`, SIGKILLs it as soon as it prints KILL-POINT. */
function runChild(args: string[], killOnMarker = false): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, densaModule, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killOnMarker && stdout.includes("KILL-POINT\n")) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let reference: Buffer;
beforeAll(async () => {
  const out = join(folder, "reference.bin");
  const result = await runChild(["-", out]);
  expect(result.stderr).toBe("");
  expect(result.stdout).toBe("DONE\n");
  reference = readFileSync(out);
}, 120_000);

describe("kill -9 in the middle of an epoch, then start again", () => {
  for (const killPoint of ["block:2:13", "saving:3:7"]) {
    test(`killed at ${killPoint}: resumes from the last backup to the uninterrupted run's exact weights`, async () => {
      const backupDir = join(folder, `backup-${killPoint.replace(/:/g, "-")}`);
      const out = join(folder, `${killPoint.replace(/:/g, "-")}.bin`);
      const killed = await runChild([backupDir, out, killPoint], true);
      expect(killed.signal).toBe("SIGKILL");
      expect(killed.stdout).not.toContain("DONE");
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(backupDir, "latest.backup"))).toBe(true);

      const resumed = await runChild([backupDir, out]);
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toBe("DONE\n");
      const weights = readFileSync(out);
      expect(weights.length).toBe(reference.length);
      expect(weights.equals(reference)).toBe(true);
      expect(existsSync(backupDir)).toBe(false); // deleteCheckpoint removed it at the end
    }, 120_000);
  }
});
