/** A parsed XML element. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    if (entity in ENTITIES) return ENTITIES[entity];
    throw new SyntaxError(`unknown entity ${whole}`);
  });

/**
 * A strict little XML reader for checking our own output (JUnit reports): elements, attributes, text, the XML
 * declaration and comments. Throws SyntaxError on mismatched tags, stray `<` or `&`, or unquoted attributes.
 *
 * @example
 * parseXml('<a x="1"><b/></a>').children[0].name // 'b'
 */
export function parseXml(source: string): XmlElement {
  let position = 0;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const fail = (message: string): never => {
    throw new SyntaxError(`${message} at offset ${position}`);
  };
  while (position < source.length) {
    const next = source.indexOf('<', position);
    const text = source.slice(position, next === -1 ? source.length : next);
    if (/&(?!(#x[0-9a-f]+|#\d+|\w+);)/i.test(text)) fail('bare &');
    stack[stack.length - 1].text += decode(text);
    if (next === -1) break;
    position = next;
    if (source.startsWith('<?', position)) {
      position = source.indexOf('?>', position) + 2;
    } else if (source.startsWith('<!--', position)) {
      position = source.indexOf('-->', position) + 3;
    } else if (source.startsWith('</', position)) {
      const match = /^<\/([\w:.-]+)\s*>/.exec(source.slice(position)) ?? fail('bad closing tag');
      const open = stack.pop();
      if (open === undefined || open.name !== match![1]) fail(`</${match![1]}> closes <${open?.name}>`);
      position += match![0].length;
    } else {
      const match = /^<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(source.slice(position)) ?? fail('bad tag');
      const element: XmlElement = { name: match![1], attributes: {}, children: [], text: '' };
      for (const attribute of match![2].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        element.attributes[attribute[1]] = decode(attribute[2] ?? attribute[3]);
      }
      stack[stack.length - 1].children.push(element);
      if (match![3] !== '/') stack.push(element);
      position += match![0].length;
    }
  }
  if (stack.length !== 1) fail(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) fail('expected exactly one root element');
  return root.children[0];
}
