// The scaling results as Markdown tables and SVG charts (bench/charts/*.svg), for bench/RESULTS.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { lineChartSvg } from "./chart.mjs";

const number = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "—");

export const CHARTS = [
  {
    file: "training-by-width.svg",
    sweep: "width",
    kind: "train",
    title: "Training, MLP 784-w-w-10, batch 32",
    x: "hidden width w (units)",
  },
  {
    file: "predict-by-width.svg",
    sweep: "width",
    kind: "predict",
    title: "Predict, MLP 784-w-w-10, batch 256",
    x: "hidden width w (units)",
  },
  {
    file: "training-by-batch.svg",
    sweep: "batch",
    kind: "train",
    title: "Training, MLP 784-128-64-10, by batch size",
    x: "batch size",
  },
  {
    file: "predict-by-batch.svg",
    sweep: "batch",
    kind: "predict",
    title: "Predict, MLP 784-128-64-10, by batch size",
    x: "batch size",
  },
];

const xOf = (point) => (point.sweep === "width" ? point.width : point.batch);

/**
 * What a chart plots for a library: samples per CPU second — on this shared 2-core machine the wall clock
 * mostly measures the other processes — except for libraries in `scaling.wallClockNames` (several threads,
 * where CPU time adds up over the threads and wall clock is the point).
 */
const chartMetric = (scaling, name) => (scaling.wallClockNames?.has(name) ? "wall" : "cpu");

/** Writes the four charts into `dir`; returns their file names. */
export function writeScalingCharts(scaling, dir) {
  mkdirSync(dir, { recursive: true });
  for (const chart of CHARTS) {
    const points = scaling.points.filter((p) => p.sweep === chart.sweep && p.kind === chart.kind);
    const series = scaling.names
      .map((name) => ({
        name,
        points: points
          .map((p) => [xOf(p), scaling.results.get(scaling.keyOf(p)).get(name)?.[chartMetric(scaling, name)]])
          .filter(([, y]) => y > 0),
      }))
      .filter((s) => s.points.length > 0);
    const yLabel = scaling.wallClockNames?.size
      ? "samples per CPU second (threads: per second)"
      : "samples per CPU second (median)";
    writeFileSync(new URL(chart.file, dir), lineChartSvg({ title: chart.title, xLabel: chart.x, yLabel, series }));
  }
  return CHARTS.map((chart) => chart.file);
}

/** One Markdown table per chart: a row per point, a column per library, "wall (CPU)" samples/s. */
export function scalingTables(scaling) {
  const out = [];
  for (const chart of CHARTS) {
    const points = scaling.points.filter((p) => p.sweep === chart.sweep && p.kind === chart.kind);
    const names = scaling.names.filter((name) => points.some((p) => scaling.results.get(scaling.keyOf(p)).has(name)));
    out.push(`#### ${chart.title} — samples/s, wall clock (per CPU second)`, "");
    out.push(`| ${chart.x} | ${names.join(" | ")} |`, `| ---: | ${names.map(() => "---:").join(" | ")} |`);
    for (const point of points) {
      const byLibrary = scaling.results.get(scaling.keyOf(point));
      const cells = names.map((name) => {
        const value = byLibrary.get(name);
        return value ? `${number(value.wall)} (${number(value.cpu)})` : "—";
      });
      out.push(`| ${xOf(point)} | ${cells.join(" | ")} |`);
    }
    out.push("", `![${chart.title}](charts/${chart.file})`, "");
  }
  return out.join("\n");
}

/** samples/s of `name` at the bench model point (sweep "batch") of this kind and batch, or undefined. */
export function benchPoint(scaling, name, kind, batch) {
  const point = scaling?.points.find((p) => p.sweep === "batch" && p.kind === kind && p.batch === batch);
  return point ? scaling.results.get(scaling.keyOf(point)).get(name) : undefined;
}
