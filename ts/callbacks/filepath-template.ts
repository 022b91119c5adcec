/**
 * Python's str.format for ModelCheckpoint's filepath, as Keras fills it: `"{epoch:02d}-{val_loss:.2f}.keras"`
 * with epoch (1-based), batch (1-based, batch-level saves) and every key of the logs.
 *
 * Supported format specs, as Python's mini-language: [[fill]align][sign][0][width][,|_][.precision][type] with the
 * types d, f / F, e / E, g / G, % and none (str(): an integer as is, a float as Python's repr). `{{` and `}}` are
 * literal braces. Integers are the epoch and batch; log values are floats, so `{loss:d}` is an error, as in Python.
 */
import { formatExponential, formatFixed, formatFloatRepr } from "../utils/python-format.js";

export interface TemplateValue {
  value: number;
  integer: boolean;
}

const FIELD = /\{\{|\}\}|\{([A-Za-z_][\w]*)(?::([^{}]*))?\}/g;
const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(0)?(\d+)?([,_])?(?:\.(\d+))?([dfFeEgG%s])?$/;

/** Fills `template`; throws `${fn}: …` for a missing key or a spec Python would refuse. */
export function fillTemplate(template: string, values: Readonly<Record<string, TemplateValue>>, fn: string): string {
  const rest = template.replace(FIELD, "");
  if (rest.includes("{") || rest.includes("}"))
    throw new Error(`${fn}: filepath ${JSON.stringify(template)} has an unmatched brace`);
  return template.replace(FIELD, (match, key: string | undefined, spec: string | undefined) => {
    if (key === undefined) return match[0];
    if (!Object.hasOwn(values, key)) {
      throw new Error(
        `${fn}: failed to format filepath ${JSON.stringify(template)}: no value for "${key}" (there are ${Object.keys(values).join(", ")})`,
      );
    }
    return formatValue(values[key], spec ?? "", `${fn}: filepath field {${key}${spec ? `:${spec}` : ""}}`);
  });
}

function formatValue({ value, integer }: TemplateValue, spec: string, where: string): string {
  const parts = SPEC.exec(spec);
  if (!parts) throw new Error(`${where}: invalid format spec ${JSON.stringify(spec)}`);
  const [, fillChar, alignChar, signChar, zero, widthText, grouping, precisionText, type] = parts;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  if (type === "d" && !integer)
    throw new Error(`${where}: unknown format code 'd' for a float value (${value}); use .Nf`);
  if (type === "s") throw new Error(`${where}: unknown format code 's' for a number`);
  let body = digits(Math.abs(value), integer, type, precision);
  if (grouping) body = group(body, grouping);
  const negative = value < 0 || (Object.is(value, -0) && !integer);
  const sign = negative ? "-" : signChar === "+" ? "+" : signChar === " " ? " " : "";
  const width = widthText === undefined ? 0 : Number(widthText);
  const align = alignChar ?? (zero ? "=" : ">");
  const fill = fillChar ?? (zero && !alignChar ? "0" : " ");
  const padding = Math.max(0, width - sign.length - body.length);
  switch (align) {
    case "=":
      return sign + fill.repeat(padding) + body;
    case "<":
      return sign + body + fill.repeat(padding);
    case "^":
      return fill.repeat(Math.floor(padding / 2)) + sign + body + fill.repeat(Math.ceil(padding / 2));
    default:
      return fill.repeat(padding) + sign + body;
  }
}

/** The digits of |value| (no sign) for a type. */
function digits(abs: number, integer: boolean, type: string | undefined, precision: number | undefined): string {
  switch (type) {
    case "d":
      return String(abs);
    case "f":
    case "F":
      return upper(formatFixed(abs, precision ?? 6), type === "F");
    case "e":
    case "E":
      return upper(formatExponential(abs, precision ?? 6), type === "E");
    case "%":
      return `${formatFixed(abs * 100, precision ?? 6)}%`;
    case "g":
    case "G":
      return upper(general(abs, precision ?? 6), type === "G");
  }
  if (integer) return String(abs);
  return precision === undefined ? formatFloatRepr(abs) : general(abs, precision);
}

/** Python's 'g': fixed or exponent by the exponent after rounding to p significant digits, trailing zeros cut. */
function general(abs: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (!Number.isFinite(abs)) return formatFixed(abs, 0);
  if (abs === 0) return "0";
  const exponent = Number(formatExponential(abs, p - 1).split("e")[1]);
  const text = exponent >= -4 && exponent < p ? formatFixed(abs, p - 1 - exponent) : formatExponential(abs, p - 1);
  const [mantissa, power] = text.split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return power === undefined ? trimmed : `${trimmed}e${power}`;
}

function group(body: string, separator: string): string {
  const [whole, ...fraction] = body.split(".");
  if (!/^\d+$/.test(whole)) return body;
  return [whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator), ...fraction].join(".");
}

function upper(text: string, yes: boolean): string {
  return yes ? text.toUpperCase() : text;
}
