import { type Document, LineCounter, parseDocument } from 'yaml';

/** Where a YAML text first fails to parse: 1-based line and column, and the parser's message. */
export interface YamlSyntaxError {
  line: number;
  col: number;
  message: string;
}

/** A YAML config file (scenario, targets.yaml) parsed with line positions, so errors can name the line; or its first syntax error. */
export function parseYamlWithLines(text: string): { doc: Document; lines: LineCounter; syntaxError?: YamlSyntaxError } {
  const lines = new LineCounter();
  // prettyErrors off: its multi-line code excerpt does not belong in a one-line error message.
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (!first) return { doc, lines };
  const { line, col } = lines.linePos(first.pos[0]);
  return { doc, lines, syntaxError: { line, col, message: first.message } };
}
