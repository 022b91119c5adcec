// A small SVG line chart for the scaling results: log₂ x axis (widths, batch sizes), log₁₀ y axis (samples/s),
// one line per library. NOTE: ts/plots draws learning curves (linear epochs and values), not log–log series,
// so the bench has its own ~100 lines rather than widening the library's API.

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];
const WIDTH = 640,
  HEIGHT = 400;
const MARGIN = { left: 72, right: 170, top: 40, bottom: 52 };

const escapeXml = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function formatCount(value) {
  if (value >= 1e6) return `${+(value / 1e6).toPrecision(2)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toPrecision(2)}k`;
  return `${+value.toPrecision(2)}`;
}

/**
 * series: [{ name, points: [[x, y], …] }] (y > 0; missing points are left out). Returns the SVG text.
 */
export function lineChartSvg({ title, xLabel, yLabel, series }) {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => y > 0);
  if (xs.length === 0 || ys.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="60"><text x="10" y="30">${escapeXml(title)}: no data</text></svg>\n`;
  const xMin = Math.log2(Math.min(...xs)),
    xMax = Math.log2(Math.max(...xs));
  const yMin = Math.floor(Math.log10(Math.min(...ys))),
    yMax = Math.ceil(Math.log10(Math.max(...ys)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right,
    plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x) => MARGIN.left + (xMax === xMin ? plotW / 2 : ((Math.log2(x) - xMin) / (xMax - xMin)) * plotW);
  const py = (y) => MARGIN.top + plotH - ((Math.log10(y) - yMin) / Math.max(1, yMax - yMin)) * plotH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  // Grid and y labels: each power of ten, plus 2× and 5× in light grey.
  for (let power = yMin; power <= yMax; power++) {
    for (const factor of [1, 2, 5]) {
      const value = factor * 10 ** power;
      if (value > 10 ** yMax) continue;
      const y = py(value).toFixed(1);
      out.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="${factor === 1 ? "#ccc" : "#eee"}"/>`,
      );
      if (factor === 1 || yMax - yMin <= 2)
        out.push(
          `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatCount(value)}</text>`,
        );
    }
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    const X = px(x).toFixed(1);
    out.push(`<line x1="${X}" x2="${X}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${X}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.points.filter(([, y]) => y > 0).sort((a, b) => a[0] - b[0]);
    if (points.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`,
      );
    }
    for (const [x, y] of points)
      out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 10 + i * 20;
    out.push(
      `<line x1="${WIDTH - MARGIN.right + 14}" x2="${WIDTH - MARGIN.right + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${WIDTH - MARGIN.right + 40}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
