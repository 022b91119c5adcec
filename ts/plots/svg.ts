/**
 * learningCurveSvg: fit's History as a self-contained SVG document (a string). It needs no DOM and no Node
 * built-ins, so it runs in every runtime; write it to a file, serve it, or put it in a page's innerHTML.
 *
 * Layout: one panel per metric, two panels a row, each with its training series (solid, blue) and validation
 * series (dashed, orange) against epochs, value gridlines and a legend.
 */
import {
  type CurvePanel,
  type CurveSeries,
  curvePanels,
  type HistoryLike,
  type LearningCurveOptions,
  sizeOption,
} from "./curves.js";
import { type AxisTicks, epochTicks, tickLabels, valueTicks } from "./ticks.js";

export type LearningCurveSvgOptions = LearningCurveOptions;

const FN = "learningCurveSvg";
const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 280;
const MARGIN = { left: 56, right: 14, top: 34, bottom: 40 };
/** matplotlib's first two tab10 colours, the ones a Keras user has seen on every learning curve. */
const STYLE = {
  training: { color: "#1f77b4", dash: "" },
  validation: { color: "#ff7f0e", dash: ' stroke-dasharray="6 3"' },
} as const;
/** Rough width of one character of the 11 px legend font, to lay the legend out without measuring text. */
const CHAR_WIDTH = 6.2;

/** The learning curve of `history` as an SVG document string. */
export function learningCurveSvg(history: HistoryLike, options: LearningCurveSvgOptions = {}): string {
  const panels = curvePanels(FN, history, options, []);
  const columns = Math.min(panels.length, 2);
  const rows = Math.ceil(panels.length / columns);
  const width = sizeOption(FN, "width", options.width, PANEL_WIDTH * columns, 160 * columns);
  const height = sizeOption(FN, "height", options.height, PANEL_HEIGHT * rows, 120 * rows);
  const panelWidth = width / columns;
  const panelHeight = height / rows;
  const title = `Learning curve: ${panels.map((panel) => panel.metric).join(", ")}`;
  const body = panels.map((panel, i) => {
    const x = (i % columns) * panelWidth;
    const y = Math.floor(i / columns) * panelHeight;
    return drawPanel(panel, x, y, panelWidth, panelHeight);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="11" fill="#333">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

function drawPanel(panel: CurvePanel, left: number, top: number, width: number, height: number): string {
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const xTicks = epochTicks(panel.epochRange[0], panel.epochRange[1], Math.max(2, Math.floor(plotWidth / 70)));
  const yTicks = valueTicks(panel.range?.[0] ?? 0, panel.range?.[1] ?? 1, Math.max(2, Math.floor(plotHeight / 40)));
  const xOf = (epoch: number) => MARGIN.left + scale(epoch, xTicks) * plotWidth;
  const yOf = (value: number) => MARGIN.top + (1 - scale(value, yTicks)) * plotHeight;
  const parts = [
    `<g class="panel" data-metric="${escapeXml(panel.metric)}" transform="translate(${num(left)} ${num(top)})">`,
  ];
  parts.push(
    `<text class="title" x="${MARGIN.left}" y="20" font-size="13" font-weight="600">${escapeXml(panel.metric)}</text>`,
  );
  const yLabels = tickLabels(yTicks);
  parts.push('<g class="y-ticks" stroke-width="1">');
  yTicks.values.forEach((value, i) => {
    const y = num(yOf(value));
    parts.push(`<line x1="${MARGIN.left}" x2="${num(MARGIN.left + plotWidth)}" y1="${y}" y2="${y}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${num(yOf(value) + 4)}" text-anchor="end">${yLabels[i]}</text>`);
  });
  parts.push("</g>", '<g class="x-ticks">');
  const xLabels = tickLabels(xTicks);
  const axisY = MARGIN.top + plotHeight;
  xTicks.values.forEach((epoch, i) => {
    const x = num(xOf(epoch));
    parts.push(`<line x1="${x}" x2="${x}" y1="${num(axisY)}" y2="${num(axisY + 4)}" stroke="#999"/>`);
    parts.push(`<text x="${x}" y="${num(axisY + 16)}" text-anchor="middle">${xLabels[i]}</text>`);
  });
  parts.push("</g>");
  parts.push(
    `<text class="axis-label" x="${num(MARGIN.left + plotWidth / 2)}" y="${num(height - 6)}" text-anchor="middle">epoch</text>`,
  );
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${num(plotWidth)}" height="${num(plotHeight)}" fill="none" stroke="#999"/>`,
  );
  if (panel.range === null) {
    parts.push(
      `<text x="${num(MARGIN.left + plotWidth / 2)}" y="${num(MARGIN.top + plotHeight / 2)}" text-anchor="middle" fill="#999">no finite values</text>`,
    );
  }
  for (const series of panel.series) parts.push(drawSeries(series, xOf, yOf));
  parts.push(drawLegend(panel.series, width - MARGIN.right), "</g>");
  return parts.join("\n");
}

/** Position of `value` along an axis, 0 at its min and 1 at its max. */
function scale(value: number, ticks: AxisTicks): number {
  return (value - ticks.min) / (ticks.max - ticks.min);
}

/**
 * One <path> a series; a non-finite value breaks the line (the next point starts a new subpath with M). A point
 * with no finite neighbour would be an invisible zero-length line, so it also gets a dot.
 */
function drawSeries(series: CurveSeries, xOf: (epoch: number) => number, yOf: (value: number) => number): string {
  const { color, dash } = STYLE[series.role];
  const finite = series.values.map((value) => Number.isFinite(value));
  let path = "";
  const dots: string[] = [];
  series.values.forEach((value, i) => {
    if (!finite[i]) return;
    const x = num(xOf(series.epochs[i]));
    const y = num(yOf(value));
    path += `${path === "" ? "" : " "}${finite[i - 1] ? "L" : "M"}${x} ${y}`;
    if (!finite[i - 1] && !finite[i + 1]) dots.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${color}"/>`);
  });
  const attributes = `class="series ${series.role}" data-key="${escapeXml(series.key)}"`;
  const line = `<path ${attributes} d="${path}" fill="none" stroke="${color}" stroke-width="2"${dash} stroke-linejoin="round"/>`;
  return [line, ...dots].join("\n");
}

/** "— training  - - validation" in the panel's top right corner, laid out from the right. */
function drawLegend(series: readonly CurveSeries[], right: number): string {
  const parts = ['<g class="legend">'];
  let x = right;
  for (const item of [...series].reverse()) {
    const { color, dash } = STYLE[item.role];
    parts.push(`<text x="${num(x)}" y="20" text-anchor="end">${item.role}</text>`);
    x -= item.role.length * CHAR_WIDTH + 4;
    parts.push(`<line x1="${num(x - 20)}" x2="${num(x)}" y1="16" y2="16" stroke="${color}" stroke-width="2"${dash}/>`);
    x -= 32;
  }
  parts.push("</g>");
  return parts.join("\n");
}

/** Coordinates to one decimal: small files, and far finer than a pixel. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** Text and attribute values: metric names are user strings. Control characters are not allowed in XML 1.0 at all. */
function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
