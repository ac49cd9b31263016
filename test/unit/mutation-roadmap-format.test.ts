import { batchOf, detectFormat, endsStream, lookalike, streamHeading, tagRank } from '../../src/roadmap/format';
import { parseMarkdown, type MdNode } from '../../src/roadmap/markdown';

/** The first block of a one-line markdown document (`### 1.2 Title` → its heading node). */
const node = (markdown: string): MdNode => parseMarkdown(markdown).children[0]!;
const nodes = (markdown: string): MdNode[] => parseMarkdown(markdown).children;

describe('detectFormat', () => {
  it('reads seed 003 from a level-3 Phase heading with a dotted id or a level-2 Batch heading', () => {
    expect(detectFormat(nodes('# Plan\n\n### Phase 1.2: Menu\n'))).toBe('phases');
    expect(detectFormat(nodes('# Plan\n\n## batch 3\n'))).toBe('phases');
    expect(detectFormat(nodes('#### x\n\n### phase 10.1 Menu\n'))).toBe('phases');
  });

  it('reads seed 003 from a Phase heading with several spaces before its id', () => {
    expect(detectFormat(nodes('### Phase  1.2: Menu\n'))).toBe('phases');
  });

  it('stays with Baton\'s format for Phase headings at other levels, undotted phases and Batch at level 3', () => {
    expect(detectFormat(nodes('## Phase 1.2: Menu\n\n### 1.1 Data\n'))).toBe('baton');
    expect(detectFormat(nodes('### Phase 1: Foundations\n'))).toBe('baton');
    expect(detectFormat(nodes('### Batch 1\n'))).toBe('baton');
    expect(detectFormat(nodes('Phase 1.2: a paragraph, not a heading\n'))).toBe('baton');
    expect(detectFormat(nodes('### The Phase 1.2 review\n'))).toBe('baton');
    expect(detectFormat([])).toBe('baton');
  });
});

describe('batchOf', () => {
  it('reads the number of a level-2 Batch heading, with or without a title', () => {
    expect(batchOf(node('## Batch 3'))).toBe(3);
    expect(batchOf(node('## batch 12: Recovery'))).toBe(12);
  });

  it('answers undefined for other levels, other words, glued words and non-headings', () => {
    expect(batchOf(node('### Batch 3'))).toBeUndefined();
    expect(batchOf(node('# Batch 3'))).toBeUndefined();
    expect(batchOf(node('## Batches 3'))).toBeUndefined();
    expect(batchOf(node('## Batch 3b'))).toBeUndefined();
    expect(batchOf(node('## The Batch 3'))).toBeUndefined();
    expect(batchOf(node('Batch 3'))).toBeUndefined();
  });
});

describe('streamHeading in Baton\'s format', () => {
  it('reads the dotted id and title after a space, colon, dot or parenthesis', () => {
    expect(streamHeading('baton', node('### 1.2 Order form'))).toEqual({ id: '1.2', title: 'Order form' });
    expect(streamHeading('baton', node('### 1.2: Order form'))).toEqual({ id: '1.2', title: 'Order form' });
    expect(streamHeading('baton', node('### 1.2. Order form'))).toEqual({ id: '1.2', title: 'Order form' });
    expect(streamHeading('baton', node('### 10.2.3) Order form'))).toEqual({ id: '10.2.3', title: 'Order form' });
    expect(streamHeading('baton', node('### 1.2 — Order form'))).toEqual({ id: '1.2', title: 'Order form' });
    expect(streamHeading('baton', node('### 1.2 - Order - form'))).toEqual({ id: '1.2', title: 'Order - form' });
  });

  it('reads an id alone as a stream with an empty title', () => {
    expect(streamHeading('baton', node('### 1.2'))).toEqual({ id: '1.2', title: '' });
    expect(streamHeading('baton', node('### 1.2:'))).toEqual({ id: '1.2', title: '' });
  });

  it('rejects undotted ids, ids glued to the title, text before the id and other heading levels', () => {
    expect(streamHeading('baton', node('### 1 Order form'))).toBeUndefined();
    expect(streamHeading('baton', node('### 1.2Order form'))).toBeUndefined();
    expect(streamHeading('baton', node('### Step 1.2 Order form'))).toBeUndefined();
    expect(streamHeading('baton', node('## 1.2 Order form'))).toBeUndefined();
    expect(streamHeading('baton', node('#### 1.2 Order form'))).toBeUndefined();
    expect(streamHeading('baton', node('1.2 Order form'))).toBeUndefined();
  });

  it('does not read seed 003\'s Phase headings as Baton streams', () => {
    expect(streamHeading('baton', node('### Phase 1.2: Menu'))).toBeUndefined();
  });
});

describe('stream titles', () => {
  it('strips only a leading dash, and the whole of a dash touching the title, keeping dashes inside it', () => {
    expect(streamHeading('baton', node('### 1.2 Sign-up form'))).toEqual({ id: '1.2', title: 'Sign-up form' });
    expect(streamHeading('baton', node('### 1.2 —Order form'))).toEqual({ id: '1.2', title: 'Order form' });
    expect(streamHeading('phases', node('### Phase 1.2 Sign-up form ⭐ PRIORITY'))).toEqual({ id: '1.2', title: 'Sign-up form', tag: 'PRIORITY' });
    expect(streamHeading('phases', node('### Phase 1.2: —Menu data'))).toEqual({ id: '1.2', title: 'Menu data' });
  });
});

describe('streamHeading in seed 003\'s format', () => {
  it('reads id, title and an upper-cased trailing star tag', () => {
    expect(streamHeading('phases', node('### Phase 1.2: Menu data ⭐ BOOTSTRAP'))).toEqual({ id: '1.2', title: 'Menu data', tag: 'BOOTSTRAP' });
    expect(streamHeading('phases', node('### phase 3.10 — Menu data ⭐️ priority  '))).toEqual({ id: '3.10', title: 'Menu data', tag: 'PRIORITY' });
    expect(streamHeading('phases', node('### Phase 1.2: Review ⭐ needs-human review'))).toEqual({ id: '1.2', title: 'Review', tag: 'NEEDS-HUMAN REVIEW' });
  });

  it('has no tag key when the heading carries no star tag', () => {
    const read = streamHeading('phases', node('### Phase 1.2: Menu data'));
    expect(read).toStrictEqual({ id: '1.2', title: 'Menu data' });
    expect(read).not.toHaveProperty('tag');
  });

  it('accepts each separator after the id, or none, or the id alone', () => {
    for (const sep of [':', '.', ')', '—', '–', '-']) {
      expect(streamHeading('phases', node(`### Phase 2.1${sep} Photos`))).toEqual({ id: '2.1', title: 'Photos' });
    }
    expect(streamHeading('phases', node('### Phase 2.1:Photos'))).toEqual({ id: '2.1', title: 'Photos' });
    expect(streamHeading('phases', node('### Phase 2.1 Photos'))).toEqual({ id: '2.1', title: 'Photos' });
    expect(streamHeading('phases', node('### Phase 2.1'))).toEqual({ id: '2.1', title: '' });
    expect(streamHeading('phases', node('### Phase   2.1.4   Photos'))).toEqual({ id: '2.1.4', title: 'Photos' });
  });

  it('keeps a star that is not a trailing word tag in the title', () => {
    expect(streamHeading('phases', node('### Phase 1.2: ⭐ 2 stars'))).toEqual({ id: '1.2', title: '⭐ 2 stars' });
    expect(streamHeading('phases', node('### Phase 1.2: Menu ⭐ 2'))).toEqual({ id: '1.2', title: 'Menu ⭐ 2' });
  });

  it('strips a dash left between the id and the title', () => {
    expect(streamHeading('phases', node('### Phase 1.2 — Menu'))).toEqual({ id: '1.2', title: 'Menu' });
    expect(streamHeading('phases', node('### Phase 1.2: - Menu'))).toEqual({ id: '1.2', title: 'Menu' });
  });

  it('rejects headings without the Phase word, without a dotted id, glued ids and other levels', () => {
    expect(streamHeading('phases', node('### 1.2 Menu'))).toBeUndefined();
    expect(streamHeading('phases', node('### Phase 1: Menu'))).toBeUndefined();
    expect(streamHeading('phases', node('### Phase 1.2x Menu'))).toBeUndefined();
    expect(streamHeading('phases', node('### The Phase 1.2 Menu'))).toBeUndefined();
    expect(streamHeading('phases', node('## Phase 1.2: Menu'))).toBeUndefined();
    expect(streamHeading('phases', node('Phase 1.2: Menu'))).toBeUndefined();
  });
});

describe('endsStream', () => {
  it('in Baton\'s format, ends a stream at any heading of level 1 to 3 only', () => {
    expect([1, 2, 3, 4, 5].map((d) => endsStream('baton', node(`${'#'.repeat(d)} Notes`)))).toEqual([true, true, true, false, false]);
    expect(endsStream('baton', node('Notes'))).toBe(false);
  });

  it('in seed 003\'s format, ends a stream at level 1, level 3 and Batch headings, not at other level-2 headings', () => {
    expect(endsStream('phases', node('# Roadmap'))).toBe(true);
    expect(endsStream('phases', node('## Strategic Priorities'))).toBe(false);
    expect(endsStream('phases', node('## Batch 2'))).toBe(true);
    expect(endsStream('phases', node('### Phase 2.1: Photos'))).toBe(true);
    expect(endsStream('phases', node('#### Notes'))).toBe(false);
    expect(endsStream('phases', node('Batch 2'))).toBe(false);
  });
});

describe('lookalike', () => {
  it('ignores non-headings, levels 1 and 5, and headings that do not read like a stream', () => {
    expect(lookalike('baton', node('1.2 Menu'))).toBeUndefined();
    expect(lookalike('baton', node('# 1.2 Menu'))).toBeUndefined();
    expect(lookalike('baton', node('##### 1.2 Menu'))).toBeUndefined();
    expect(lookalike('baton', node('### Notes on 1.2'))).toBeUndefined();
    expect(lookalike('baton', node('### 1.2x Menu'))).toBeUndefined();
    expect(lookalike('baton', node('### 12 Menu'))).toBeUndefined();
    expect(lookalike('phases', node('### Phases of work'))).toBeUndefined();
  });

  it('leaves phase groupings and numbered parts of a stream alone', () => {
    expect(lookalike('baton', node('## Phase 1: Foundations'))).toBeUndefined();
    expect(lookalike('phases', node('## Phase 1: Foundations'))).toBeUndefined();
    expect(lookalike('baton', node('### Phase One'))).toBeUndefined();
    expect(lookalike('baton', node('#### 1.2.1 Details'))).toBeUndefined();
    expect(lookalike('phases', node('#### 1.2.1 Details'))).toBeUndefined();
    expect(lookalike('phases', node('#### Phase One'))).toBeUndefined();
  });

  it('names the level when a dotted stream heading sits at level 2, or a Phase heading at level 4 in seed 003', () => {
    expect(lookalike('baton', node('## 1.2 Menu'))).toBe('heading "1.2 Menu" looks like a work stream but is level 2: streams are level-3 headings (`### 1.2 Title`)');
    expect(lookalike('phases', node('## Phase 1.2: Menu'))).toBe('heading "Phase 1.2: Menu" looks like a work stream but is level 2: streams are level-3 headings (`### Phase 1.2: Title`)');
    expect(lookalike('phases', node('#### Phase 1.2: Menu'))).toBe('heading "Phase 1.2: Menu" looks like a work stream but is level 4: streams are level-3 headings (`### Phase 1.2: Title`)');
    expect(lookalike('baton', node('## 1.2'))).toContain('is level 2');
    expect(lookalike('baton', node('## 1.2-Menu'))).toContain('is level 2');
    expect(lookalike('baton', node('## 1.2: Menu'))).toContain('is level 2');
  });

  it('names seed 003\'s shape when a seed 003 roadmap writes a stream Baton\'s way', () => {
    expect(lookalike('phases', node('### 1.2 Menu'))).toBe('heading "1.2 Menu" looks like a work stream, but this roadmap writes streams as `### Phase 1.2: Title`');
  });

  it('says a dotted heading cannot be read and shows the shape to write', () => {
    expect(lookalike('baton', node('### 1.2.x Menu'))).toBe('heading "1.2.x Menu" looks like a work stream but cannot be read as one (write it as `### 1.2 Title`)');
    expect(lookalike('phases', node('### Phase 1.2x: Menu'))).toBe('heading "Phase 1.2x: Menu" looks like a work stream but cannot be read as one (write it as `### Phase 1.2: Title`)');
  });

  it('says a level-3 Phase heading in seed 003 lacks a dotted id', () => {
    expect(lookalike('phases', node('### Phase One: Menu'))).toBe('heading "Phase One: Menu" looks like a work stream but has no dotted id (write it as `### Phase 1.2: Title`)');
    expect(lookalike('phases', node('### phase 1: Menu'))).toContain('has no dotted id');
  });

  it('reads the Phase word and the dotted id only at the start of the heading, after any run of spaces', () => {
    expect(lookalike('phases', node('### 1.2 Phase two'))).toContain('this roadmap writes streams as');
    expect(lookalike('phases', node('### Phase One 1.2'))).toContain('has no dotted id');
    expect(lookalike('phases', node('### Phase  1.2x: Menu'))).toContain('cannot be read as one');
    expect(lookalike('baton', node('### 12.3.x Menu'))).toContain('cannot be read as one');
    expect(lookalike('baton', node('#### Phase 1.2: Menu'))).toBeUndefined();
  });

  it('quotes at most 80 characters of a long heading', () => {
    const long = `1.2 ${'x'.repeat(200)}`;
    expect(lookalike('baton', node(`## ${long}`))).toBe(`heading "${long.slice(0, 80)}" looks like a work stream but is level 2: streams are level-3 headings (\`### 1.2 Title\`)`);
    for (const [format, text] of [['phases', `### ${long}`], ['baton', `### 1.2.x${'y'.repeat(200)}`], ['phases', `### Phase One ${'z'.repeat(200)}`]] as const) {
      const message = lookalike(format, node(text))!;
      expect(message).toContain(`"${text.slice(4, 84)}"`);
      expect(message).not.toContain(text.slice(4, 85));
    }
  });
});

describe('tagRank', () => {
  it('offers BOOTSTRAP first, PRIORITY second and everything else (no tag, other tags) last', () => {
    expect(['BOOTSTRAP', 'PRIORITY', 'NEEDS REVIEW', undefined, 'bootstrap'].map(tagRank)).toEqual([0, 1, 2, 2, 2]);
  });
});
