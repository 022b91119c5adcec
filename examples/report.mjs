// Small text-report helpers shared by the examples: percentages, a confusion matrix, a table of numbers.

/** 0.96888 → "96.89 %". */
export function percent(fraction, decimals = 2) {
  return `${(fraction * 100).toFixed(decimals)} %`;
}

/** counts[true][predicted] for integer labels 0..classes-1. */
export function confusionMatrix(trueLabels, predictedLabels, classes) {
  const counts = Array.from({ length: classes }, () => new Array(classes).fill(0));
  for (let i = 0; i < trueLabels.length; i++) counts[trueLabels[i]][predictedLabels[i]]++;
  return counts;
}

/**
 * The matrix as text, rows = true class, columns = predicted class; correct counts (the diagonal) are
 * bracketed so mistakes stand out, zeros off the diagonal print as "·".
 */
export function formatConfusionMatrix(counts, classNames) {
  const width = Math.max(
    4,
    ...counts.flat().map((count) => String(count).length + 3),
    ...classNames.map((name) => name.length + 1),
  );
  const labelWidth = Math.max(4, ...classNames.map((name) => name.length));
  const lines = [
    `${"true".padEnd(labelWidth)} │${classNames.map((name) => name.padStart(width)).join("")}   ← predicted`,
  ];
  lines.push(`${"─".repeat(labelWidth)}─┼${"─".repeat(width * classNames.length)}`);
  counts.forEach((row, i) => {
    const cells = row.map((count, j) => (i === j ? `[${count}]` : count === 0 ? "·" : String(count)).padStart(width));
    lines.push(`${classNames[i].padStart(labelWidth)} │${cells.join("")}`);
  });
  return lines.join("\n");
}

/** The largest off-diagonal counts: "8 → 1 (3×)". */
export function commonMistakes(counts, classNames, limit = 3) {
  const mistakes = [];
  counts.forEach((row, i) =>
    row.forEach((count, j) => i !== j && count > 0 && mistakes.push({ count, from: classNames[i], to: classNames[j] })),
  );
  return mistakes.sort((a, b) => b.count - a.count).slice(0, limit);
}
