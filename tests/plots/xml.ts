/**
 * A strict little XML parser for the tests: enough of XML 1.0 to check that an SVG string is well formed
 * (one root, every tag closed in order, attributes quoted and unique, only the five named entities and
 * numeric references, no raw "<" or "&" in text, no control characters) and to query the tree afterwards.
 * It throws on the first violation, naming the offset.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element (entities decoded), concatenated. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let position = 0;
  const fail = (message: string): never => {
    throw new Error(`XML: ${message} at offset ${position}: ${JSON.stringify(source.slice(position, position + 40))}`);
  };
  // XML 1.0 allows only tab, newline and carriage return below U+0020.
  const control = source.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  if (control >= 0) {
    position = control;
    fail("control character");
  }
  const decode = (text: string): string =>
    text.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
      if (body === undefined) return fail("bare '&'");
      if (body in ENTITIES) return ENTITIES[body];
      const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
      if (!numeric) return fail(`unknown entity &${body};`);
      return String.fromCodePoint(numeric[1][0] === "x" ? parseInt(numeric[1].slice(1), 16) : Number(numeric[1]));
    });
  const skipMisc = () => {
    for (;;) {
      const rest = source.slice(position);
      const space = /^\s+/.exec(rest);
      if (space) position += space[0].length;
      else if (rest.startsWith("<?xml")) position = source.indexOf("?>", position) + 2 || fail("unclosed declaration");
      else if (rest.startsWith("<!--")) position = source.indexOf("-->", position) + 3 || fail("unclosed comment");
      else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[position] !== "<") fail("expected '<'");
    position++;
    const name = NAME.exec(source.slice(position))?.[0] ?? fail("expected an element name");
    position += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: "" };
    for (;;) {
      const rest = source.slice(position);
      const attribute = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(rest);
      if (attribute) {
        if (attribute[1] in element.attributes) fail(`duplicate attribute ${attribute[1]}`);
        element.attributes[attribute[1]] = decode(attribute[3] ?? attribute[4]);
        position += attribute[0].length;
        continue;
      }
      const end = /^\s*(\/?)>/.exec(rest) ?? fail(`malformed start tag <${name}`);
      position += end[0].length;
      if (end[1] === "/") return element;
      break;
    }
    for (;;) {
      const textEnd = source.indexOf("<", position);
      if (textEnd < 0) fail(`<${name}> is never closed`);
      const text = source.slice(position, textEnd);
      if (text.includes("]]>")) fail("']]>' in text");
      element.text += decode(text);
      position = textEnd;
      if (source.startsWith("<!--", position)) {
        position = source.indexOf("-->", position) + 3 || fail("unclosed comment");
      } else if (source.startsWith("</", position)) {
        const close = new RegExp(`^</${name.replace(/[.:-]/g, "\\$&")}\\s*>`).exec(source.slice(position));
        if (!close) fail(`expected </${name}>`);
        position += close![0].length;
        return element;
      } else {
        element.children.push(parseElement());
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (position !== source.length) fail("content after the root element");
  return root;
}

/** Every element below (and including) `root`, depth first, that satisfies `test`. */
export function findAll(root: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    if (test(element)) found.push(element);
    element.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** The classes of an element's class attribute. */
export function classes(element: XmlElement): string[] {
  return (element.attributes.class ?? "").split(/\s+/).filter(Boolean);
}
