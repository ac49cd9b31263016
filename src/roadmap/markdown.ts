import fromMarkdown from 'mdast-util-from-markdown';

/** The mdast tree of a markdown document. */
export type Root = ReturnType<typeof fromMarkdown>;
/** Any block or inline mdast node. */
export type MdNode = Root['children'][number];
/** A `#`…`######` heading. */
export type Heading = Extract<MdNode, { type: 'heading' }>;
/** A bulleted or numbered list. */
export type List = Extract<MdNode, { type: 'list' }>;
/** One item of a list. */
export type ListItem = Extract<MdNode, { type: 'listItem' }>;

/** The markdown tree of `text`, with source positions. */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text);
}

/** The plain text of a node (`**Owner:**` → `Owner:`). */
export function plainText(node: MdNode | Root): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as MdNode[]).map(plainText).join('');
  return '';
}

/** Character offsets of a node in its source. */
export function span(node: MdNode): { start: number; end: number } {
  return { start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0 };
}

/** 1-based first and last line of a node. */
export function lines(node: MdNode): { start: number; end: number } {
  return { start: node.position?.start.line ?? 0, end: node.position?.end.line ?? 0 };
}

/** One line of a document and the line ending that followed it (`''` for the last line without one). */
export interface SourceLine {
  content: string;
  eol: string;
}

/** Splits text into lines, keeping each line's own ending (LF, CRLF or CR) so it can be put back byte for byte. */
export function splitLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  const ending = /\r\n|\r|\n/g;
  let from = 0;
  for (let match = ending.exec(text); match; match = ending.exec(text)) {
    out.push({ content: text.slice(from, match.index), eol: match[0] });
    from = match.index + match[0].length;
  }
  out.push({ content: text.slice(from), eol: '' });
  return out;
}

/** The line ending a document mostly uses (LF when it has none). */
export function dominantEol(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}
