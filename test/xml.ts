// A strict, minimal XML reader for tests (no dependency): enough of XML 1.0 to check that graph
// exports are well-formed and to walk them. It rejects what a real parser rejects in such files:
// unclosed or crossed tags, several roots, duplicate attributes, unquoted or '<'-bearing attribute
// values, unknown entities, stray '&' or '<', control characters, and text outside the root.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text content directly inside the element, entities decoded. */
  text: string;
  /** Position of the start tag, for messages. */
  at: number;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(raw)) throw new Error(`control character in XML at ${at}`);
  return raw.replace(/&([^;]*);|&/g, (whole, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare '&' at ${at}`);
    if (body.startsWith('#x') && /^#x[0-9a-fA-F]+$/.test(body)) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#') && /^#\d+$/.test(body)) return String.fromCodePoint(Number(body.slice(1)));
    const e = ENTITIES[body];
    if (e === undefined) throw new Error(`unknown entity &${body}; at ${at}`);
    return e;
  });
}

/** Parses a whole document; throws with the position on the first well-formedness error. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(doc.slice(i, i + 40))}`);
  };
  if (doc.startsWith('<?xml')) {
    const end = doc.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    if (!/^<\?xml version="1\.[01]"( encoding="UTF-8")?( standalone="(yes|no)")?\?>$/.test(doc.slice(0, end + 2))) fail('bad XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < doc.length) {
    if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (doc.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root');
      const end = doc.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      stack[stack.length - 1]!.text += doc.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (doc.startsWith('</', i)) {
      i += 2;
      const name = NAME.exec(doc.slice(i))?.[0] ?? fail('bad end tag');
      i += name.length;
      while (/\s/.test(doc[i] ?? '')) i++;
      if (doc[i] !== '>') fail('bad end tag');
      i++;
      const open = stack.pop();
      if (!open || open.name !== name) fail(`</${name}> does not close <${open?.name ?? 'nothing'}>`);
      continue;
    }
    if (doc[i] === '<') {
      const at = i;
      i++;
      const name = NAME.exec(doc.slice(i))?.[0] ?? fail('bad start tag');
      i += name.length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const space = /^\s*/.exec(doc.slice(i))![0].length;
        i += space;
        if (doc.startsWith('/>', i) || doc[i] === '>') break;
        if (space === 0) fail('attributes must be separated by space');
        const attr = NAME.exec(doc.slice(i))?.[0] ?? fail('bad attribute name');
        i += attr.length;
        if (doc[i] !== '=') fail('attribute without value');
        i++;
        const quote = doc[i];
        if (quote !== '"' && quote !== "'") fail('unquoted attribute value');
        const end = doc.indexOf(quote!, i + 1);
        if (end < 0) fail('unterminated attribute value');
        const raw = doc.slice(i + 1, end);
        if (raw.includes('<')) fail("'<' in attribute value");
        if (attr in attrs) fail(`duplicate attribute ${attr}`);
        attrs[attr] = decode(raw, i);
        i = end + 1;
      }
      const element: XmlElement = { name, attrs, children: [], text: '', at };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (doc.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(element);
      }
      continue;
    }
    const next = doc.indexOf('<', i);
    const raw = doc.slice(i, next < 0 ? doc.length : next);
    if (stack.length === 0) {
      if (raw.trim() !== '') fail('text outside the root element');
    } else {
      if (raw.includes(']]>')) fail("']]>' in text");
      stack[stack.length - 1]!.text += decode(raw, i);
    }
    i = next < 0 ? doc.length : next;
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every descendant element with this name, in document order. */
export function descendants(e: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (x: XmlElement): void => {
    for (const c of x.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(e);
  return out;
}
