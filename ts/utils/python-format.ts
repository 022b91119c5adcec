/**
 * Number formatting that matches Python's, so progress bars, CSV logs and summaries read exactly as Keras's.
 *
 * NOTE: JS `toFixed` / `toExponential` round exact ties away from zero; Python's `format` rounds ties to even
 * on the exact binary value (f"{0.03125:.4f}" is "0.0312", JS gives "0.0313"). A tie can only happen when the
 * exact decimal expansion ends in that 5, so we read the exact expansion (toFixed/toExponential with 100
 * digits are exact for that purpose: a double that is not a tie differs from one by far more than 1e-100
 * relative) and truncate instead of rounding up when the kept digit is even.
 */

/** Python f"{x:.{digits}f}". */
export function formatFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  if (abs >= 1e21) {
    // toFixed switches to exponent notation here; such doubles are integers, so BigInt prints them exactly.
    return sign + BigInt(abs).toString() + (digits > 0 ? "." + "0".repeat(digits) : "");
  }
  let text = abs.toFixed(digits);
  const exact = abs.toFixed(Math.min(100, digits + 60));
  const point = exact.indexOf(".");
  const rest = exact.slice(point + 1 + digits);
  if (isTieDigits(rest)) {
    const kept = exact.slice(0, digits > 0 ? point + 1 + digits : point);
    const lastDigit = kept.charCodeAt(kept.length - 1) - 48;
    if (lastDigit % 2 === 0) text = kept;
  }
  return sign + text;
}

/** Python f"{x:.{digits}e}": mantissa with `digits` decimals, exponent with a sign and at least two digits. */
export function formatExponential(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  let text = abs.toExponential(digits);
  if (abs !== 0) {
    const exact = abs.toExponential(100);
    const ePos = exact.indexOf("e");
    const mantissa = exact.slice(0, ePos);
    const rest = mantissa.slice(2 + digits);
    if (isTieDigits(rest)) {
      const kept = mantissa.slice(0, digits > 0 ? 2 + digits : 1);
      const lastDigit = kept.charCodeAt(kept.length - 1) - 48;
      if (lastDigit % 2 === 0) text = kept + exact.slice(ePos);
    }
  }
  return sign + pythonExponent(text);
}

/** Python's repr() / str() of a float: shortest round-trip digits, "1.0", "1e-05", "1.5e+16", "nan", "inf". */
export function formatFloatRepr(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  if (abs === 0) return sign + "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, like Python's repr.
  const shortest = abs.toExponential();
  const ePos = shortest.indexOf("e");
  const digitsText = shortest.slice(0, ePos).replace(".", "");
  const exponent = Number(shortest.slice(ePos + 1));
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digitsText.length > 1 ? digitsText[0] + "." + digitsText.slice(1) : digitsText;
    return sign + pythonExponent(`${mantissa}e${exponent}`);
  }
  if (exponent < 0) return sign + "0." + "0".repeat(-exponent - 1) + digitsText;
  if (digitsText.length <= exponent + 1) return sign + digitsText + "0".repeat(exponent + 1 - digitsText.length) + ".0";
  return sign + digitsText.slice(0, exponent + 1) + "." + digitsText.slice(exponent + 1);
}

/** Python f"{n:,}" for an integer: 8769 → "8,769". */
export function formatThousands(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = Math.abs(Math.trunc(n)).toString();
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return sign + out;
}

/** Keras's readable_memory_size: 35076 → "34.25 KB" (powers of 1024, two decimals). */
export function formatMemorySize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${formatFixed(size, 2)} ${unit}`;
    size /= 1024;
  }
  return `${formatFixed(size, 2)} ${units[units.length - 1]}`;
}

/** Python's round() / NumPy's np.round to an integer: ties go to the even neighbour (2.5 → 2, 3.5 → 4). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return undefined;
}

/** True when the discarded digits are exactly "5" followed by zeros, i.e. the value sits on a tie. */
function isTieDigits(rest: string): boolean {
  if (rest.length === 0 || rest[0] !== "5") return false;
  for (let i = 1; i < rest.length; i++) if (rest[i] !== "0") return false;
  return true;
}

/** "1.2346e-4" → "1.2346e-04"; "1e+16" stays. */
function pythonExponent(text: string): string {
  const ePos = text.indexOf("e");
  const mantissa = text.slice(0, ePos);
  const exponent = Number(text.slice(ePos + 1));
  const magnitude = Math.abs(exponent).toString().padStart(2, "0");
  return `${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude}`;
}
