// A small strict XML 1.0 well-formedness checker for the SVG tests (no dependency): elements,
// attributes (quoted, unique, references checked), comments, CDATA, processing instructions, the five
// predefined entities and character references. Returns a tree to query; throws with the offset.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME_START = /[A-Za-z_:\u00C0-\uFFFD]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFD]/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new Error(`XML not well-formed at offset ${i} (line ${line}): ${msg}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    const ok = c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0xd800 && c <= 0xdbff && text.charCodeAt(k + 1) >= 0xdc00 && text.charCodeAt(k + 1) <= 0xdfff && k++ >= 0);
    if (!ok) {
      i = k;
      fail(`character U+${c.toString(16)} is not allowed in XML`);
    }
  }
  const ws = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i])) i++;
  };
  const name = (): string => {
    if (!NAME_START.test(text[i] ?? '')) fail('expected a name');
    const s = i;
    i++;
    while (i < text.length && NAME_CHAR.test(text[i])) i++;
    return text.slice(s, i);
  };
  const reference = (): string => {
    // at '&'
    const end = text.indexOf(';', i);
    if (end < 0 || end - i > 12) fail('& starts no reference');
    const body = text.slice(i + 1, end);
    let out: string;
    if (/^#[0-9]+$/.test(body)) out = String.fromCodePoint(Number(body.slice(1)));
    else if (/^#x[0-9A-Fa-f]+$/.test(body)) out = String.fromCodePoint(parseInt(body.slice(2), 16));
    else if (body in ENTITIES) out = ENTITIES[body];
    else return fail(`unknown entity &${body};`);
    i = end + 1;
    return out;
  };
  const misc = () => {
    for (;;) {
      ws();
      if (text.startsWith('<!--', i)) comment();
      else if (text.startsWith('<?', i)) pi();
      else return;
    }
  };
  const comment = () => {
    const end = text.indexOf('-->', i + 4);
    if (end < 0) fail('unterminated comment');
    if (text.slice(i + 4, end).includes('--') || text[end - 1] === '-') fail('"--" inside a comment');
    i = end + 3;
  };
  const pi = () => {
    i += 2;
    const target = name();
    if (target.toLowerCase() === 'xml' && i - 5 !== 0) fail('XML declaration not at the start');
    const end = text.indexOf('?>', i);
    if (end < 0) fail('unterminated processing instruction');
    i = end + 2;
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected <');
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      ws();
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attrs, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const an = name();
      if (an in attrs) fail(`duplicate attribute ${an}`);
      ws();
      if (text[i] !== '=') fail('expected =');
      i++;
      ws();
      const q = text[i];
      if (q !== '"' && q !== "'") fail('attribute value must be quoted');
      i++;
      let v = '';
      while (text[i] !== q) {
        if (i >= text.length) fail('unterminated attribute value');
        if (text[i] === '<') fail('< in an attribute value');
        if (text[i] === '&') v += reference();
        else v += text[i++];
      }
      i++;
      attrs[an] = v;
    }
    const children: XmlNode[] = [];
    let buf = '';
    const flush = () => {
      if (buf) children.push(buf);
      buf = '';
    };
    for (;;) {
      if (i >= text.length) fail(`element <${tag}> is not closed`);
      if (text.startsWith('</', i)) {
        i += 2;
        const close = name();
        if (close !== tag) fail(`</${close}> closes <${tag}>`);
        ws();
        if (text[i] !== '>') fail('expected >');
        i++;
        flush();
        return { name: tag, attrs, children };
      }
      if (text.startsWith('<!--', i)) comment();
      else if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        buf += text.slice(i + 9, end);
        i = end + 3;
      } else if (text.startsWith('<?', i)) pi();
      else if (text[i] === '<') {
        flush();
        children.push(element());
      } else if (text[i] === '&') buf += reference();
      else {
        if (text.startsWith(']]>', i)) fail(']]> in text');
        buf += text[i++];
      }
    }
  };
  if (text.startsWith('<?xml', 0)) pi();
  misc();
  const root = element();
  misc();
  if (i !== text.length) fail('content after the root element');
  return root;
}

/** Every element (depth first) matching `pred`. */
export function findAll(root: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (pred(e)) out.push(e);
    for (const c of e.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  return out;
}

/** The text inside an element, concatenated, without the surrounding whitespace (indentation between children). */
export function textOf(e: XmlElement): string {
  const all = (x: XmlElement): string => x.children.map((c) => (typeof c === 'string' ? c : all(c))).join('');
  return all(e).trim();
}

export const hasClass = (e: XmlElement, cls: string) => (e.attrs.class ?? '').split(/\s+/).includes(cls);
