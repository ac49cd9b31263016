import { dominantEol, lines, parseMarkdown, plainText, span, splitLines, type MdNode } from '../../src/roadmap/markdown';

describe('plainText', () => {
  it('joins the text of nested inline nodes, dropping the markup', () => {
    const [item] = parseMarkdown('**Owner:** _Aria_ and `code`\n').children;
    expect(plainText(item!)).toBe('Owner: Aria and code');
    expect(plainText(parseMarkdown('# A\n\nB *c*\n'))).toBe('AB c');
  });

  it('reads nodes without text or children as empty', () => {
    const [rule] = parseMarkdown('---\n').children;
    expect(rule!.type).toBe('thematicBreak');
    expect(plainText(rule!)).toBe('');
    expect(plainText({ type: 'text', value: 7 } as unknown as MdNode)).toBe('');
  });
});

describe('span and lines', () => {
  it('give a node\'s character offsets and 1-based lines in its source', () => {
    const source = 'intro\n\n### 1.2 Menu\ntext\n';
    const heading = parseMarkdown(source).children[1]!;
    expect(span(heading)).toEqual({ start: 7, end: 19 });
    expect(source.slice(span(heading).start, span(heading).end)).toBe('### 1.2 Menu');
    expect(lines(heading)).toEqual({ start: 3, end: 3 });
    expect(lines(parseMarkdown(source).children[2]!)).toEqual({ start: 4, end: 4 });
  });

  it('answer zero for a node built without a position', () => {
    const bare = { type: 'text', value: 'x' } as MdNode;
    expect(span(bare)).toEqual({ start: 0, end: 0 });
    expect(lines(bare)).toEqual({ start: 0, end: 0 });
  });
});

describe('splitLines', () => {
  it('keeps each line\'s own ending, LF, CRLF or CR, and an empty ending on the last line', () => {
    expect(splitLines('a\nb\r\nc\rd')).toEqual([
      { content: 'a', eol: '\n' },
      { content: 'b', eol: '\r\n' },
      { content: 'c', eol: '\r' },
      { content: 'd', eol: '' },
    ]);
  });

  it('ends with an empty line after a final line ending, and reads empty text as one empty line', () => {
    expect(splitLines('a\n')).toEqual([{ content: 'a', eol: '\n' }, { content: '', eol: '' }]);
    expect(splitLines('')).toEqual([{ content: '', eol: '' }]);
    expect(splitLines('\r\n\n')).toEqual([{ content: '', eol: '\r\n' }, { content: '', eol: '\n' }, { content: '', eol: '' }]);
  });

  it('puts the text back byte for byte', () => {
    const text = '# T\r\n\r\n- a\n- b\rend';
    expect(splitLines(text).map((l) => l.content + l.eol).join('')).toBe(text);
  });
});

describe('dominantEol', () => {
  it('answers CRLF only when CRLF endings outnumber LF ones', () => {
    expect(dominantEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(dominantEol('a\r\nb\nc\n')).toBe('\n');
    expect(dominantEol('a\r\nb\n')).toBe('\n');
    expect(dominantEol('a\r\n')).toBe('\r\n');
  });

  it('answers LF for text without line endings', () => {
    expect(dominantEol('')).toBe('\n');
    expect(dominantEol('one line')).toBe('\n');
  });
});
