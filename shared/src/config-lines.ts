import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

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
    let node: unknown;
    if (isMap(parent)) node = parent.items.find((p) => isScalar(p.key) && p.key.value === last)?.key;
    else if (isSeq(parent) && typeof last === 'number') node = parent.items[last];
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}
