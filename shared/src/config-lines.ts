import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';

/** The line of a config file where the key (or list item) at a path is written, if it is. */
export type KeyLine = (path: readonly (string | number)[]) => number | undefined;

/**
 * Line numbers for error messages. The text parses again on its own (JSON is YAML too), so the
 * values the config is built from never depend on it; anything it cannot find has no line.
 */
export function keyLines(text: string): KeyLine {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return (path) => {
    const last = path.at(-1);
    if (last === undefined) return undefined;
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    let offset: number | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
      offset = (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
    } else if (isSeq(parent) && typeof last === 'number') {
      offset = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range?.[0];
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}
