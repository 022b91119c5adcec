// The checker the SVG tests rely on must itself reject what is not well-formed XML.
import { describe, expect, it } from "vitest";
import { findAll, parseXml } from "./xml.js";

describe("parseXml (test helper)", () => {
  it("reads elements, attributes, text and entities", () => {
    const root = parseXml(
      `<?xml version="1.0"?>\n<a x="1" y='&lt;2&gt;'><b/><!-- note --><c>t &amp; &#65;&#x42;</c></a>\n`,
    );
    expect(root.name).toBe("a");
    expect(root.attributes).toEqual({ x: "1", y: "<2>" });
    expect(root.children.map((child) => child.name)).toEqual(["b", "c"]);
    expect(root.children[1].text).toBe("t & AB");
    expect(findAll(root, (element) => element.name !== "a")).toHaveLength(2);
  });

  it.each([
    ["an unclosed element", "<a><b></a>"],
    ["a mismatched end tag", "<a></b>"],
    ["an unquoted attribute", "<a x=1/>"],
    ["a duplicate attribute", '<a x="1" x="2"/>'],
    ["a bare ampersand", "<a>fish & chips</a>"],
    ["an unknown entity", "<a>&nbsp;</a>"],
    ["a raw '<' in an attribute", '<a x="<"/>'],
    ["two roots", "<a/><b/>"],
    ["a control character", "<a>\u0001</a>"],
    ["text before the root", "hello <a/>"],
  ])("rejects %s", (_, source) => {
    expect(() => parseXml(source)).toThrow(/^XML: /);
  });
});
