// The one place a format's parser is chosen and wired to the line splitter: the format's chunk-level parser when it
// offers one and the thread's engines are given (regions of whole lines go to it undecoded first), else its line
// parser. Parse sessions use it, and so do the tests and benchmarks that parse as scans do.
import { LineEngine } from '../formats/iis-lines.js';
import type { ChunkParser, FormatDef, LineParser, ParseContext, ParseEngines } from '../formats/types.js';
import { LineSplitter, type LineHandler } from '../sources/line-splitter.js';

/** The splitter's handler for a session's lines, with the batch limits a chunk read must keep to. */
export interface SessionLines extends LineHandler {
  /** Lines a chunk read may take before the batch is due. */
  maxLines(): number;
  /** How many rows the aggregator may hold before the batch is due. */
  maxRows(): number;
  /** The splitter has moved past `lines` lines of a chunk read: flush now if the batch is full. */
  afterChunk(lines: number): void;
}

/** The engines of one thread, each made on first use. */
export class ThreadEngines implements ParseEngines {
  private line: LineEngine | null = null;

  lineEngine(): LineEngine {
    return (this.line ??= new LineEngine());
  }
}

/** Regions of whole lines to the parser's chunk reads; a line it declines is decoded and handed to `line`. */
class ChunkSplitter extends LineSplitter {
  constructor(
    private readonly lines: SessionLines,
    private readonly parser: ChunkParser,
    startOffset: number,
    startLine: number,
  ) {
    super(lines, startOffset, startLine);
  }

  protected override emit(region: Buffer): void {
    let start = 0;
    while (start < region.length) {
      const run = this.parser.readChunk(region, start, region.length, this.lines.maxLines(), this.lines.maxRows());
      if (run.lines > 0) {
        this.skipped(run.lines, run.end - start);
        start = run.end;
        this.lines.afterChunk(run.lines);
        if (!run.declined) continue;
      }
      if (start >= region.length) break;
      start = this.lineAt(region, start);
    }
  }
}

export interface SessionParser<H extends SessionLines> {
  readonly parser: LineParser;
  readonly splitter: LineSplitter;
  /** The splitter's handler. */
  readonly lines: H;
}

/**
 * `format`'s parser for `ctx` from `state`, and the splitter that feeds it from `startOffset` (line `startLine`).
 * `handler` makes the splitter's handler for the parser; without `engines` the parser reads text lines only.
 */
export function openParser<H extends SessionLines>(
  format: FormatDef,
  ctx: ParseContext,
  state: unknown,
  handler: (parser: LineParser) => H,
  engines?: ParseEngines,
  startOffset = 0,
  startLine = 0,
): SessionParser<H> {
  if (format.createChunked !== undefined && engines !== undefined) {
    const parser = format.createChunked(ctx, state, engines);
    const lines = handler(parser);
    return { parser, lines, splitter: new ChunkSplitter(lines, parser, startOffset, startLine) };
  }
  const parser = format.create(ctx, state);
  const lines = handler(parser);
  return { parser, lines, splitter: new LineSplitter(lines, startOffset, startLine) };
}
