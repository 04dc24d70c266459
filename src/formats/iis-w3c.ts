// IIS W3C extended logs: columns bound by each #Fields line (re-bound mid-file), crypt-* fields decoded.
// The parser wires three parts: the layout (iis-layout.ts), the text path (iis-text.ts) and, when the parse session
// gives it the thread's line engine, the byte path (iis-bytes.ts), which leaves the lines it does not take to text.
import { IisByteReader } from './iis-bytes.js';
import { IisLayout, type IisState } from './iis-layout.js';
import type { LineEngine } from './iis-lines.js';
import { IisTextReader, type RowCaches } from './iis-text.js';
import type { ChunkParser, ChunkRun, FormatDef, LineParser, ParseContext } from './types.js';
import { w3cDirectives } from './w3c-line.js';

export { DEFAULT_FIELD_MAP, type IisState } from './iis-layout.js';

class IisParser implements LineParser, RowCaches {
  tlsFields = false;
  protected readonly layout: IisLayout;
  private readonly text: IisTextReader;
  protected bytes: IisByteReader | null = null;
  private gen: number;

  constructor(
    protected readonly ctx: ParseContext,
    state: IisState | null,
  ) {
    this.layout = new IisLayout(ctx.fieldMap, state);
    if ((this.layout.binding?.proto ?? -1) >= 0) this.tlsFields = true;
    this.text = new IisTextReader(ctx, this.layout, this);
    this.gen = ctx.agg.generation;
  }

  get records(): number {
    return this.text.records + (this.bytes?.records ?? 0);
  }

  saveState(): IisState {
    return this.layout.saveState();
  }

  /** True once the aggregator has handed its rows on since the caches were filled. */
  get stale(): boolean {
    return this.gen !== this.ctx.agg.generation;
  }

  /** Empties the caches of rows (the byte path's counts go to their rows first). */
  renew(): void {
    this.bytes?.clear();
    this.text.clear();
    this.gen = this.ctx.agg.generation;
  }

  /** The byte path counts in the engine; rows get those counts before they are handed on. */
  flush(): void {
    this.bytes?.syncCounts();
  }

  line(text: string, lineNo: number): void {
    if (text.length === 0) return;
    if (text.charCodeAt(0) === 35) {
      if (!this.layout.directive(text, lineNo, this.ctx.diags)) return;
      this.renew();
      const b = this.layout.binding;
      if (b !== null && b.proto >= 0) this.tlsFields = true;
      this.bytes?.bind(b);
      return;
    }
    const b = this.layout.binding;
    if (b === null) return this.ctx.diags.add('no_fields', lineNo, 'data line before any #Fields directive');
    this.text.line(text, lineNo, b);
  }
}

/** The IIS parser with its byte path: lines read from undecoded bytes by the thread's line engine. */
class IisChunkParser extends IisParser implements ChunkParser {
  private readonly reader: IisByteReader;

  constructor(ctx: ParseContext, state: IisState | null, engine: LineEngine) {
    super(ctx, state);
    this.bytes = this.reader = new IisByteReader(ctx, engine, this);
  }

  readChunk(buf: Buffer, start: number, limit: number, maxLines: number, maxRows: number): ChunkRun {
    const b = this.layout.binding;
    if (b === null) return { lines: 0, end: start, declined: true };
    return this.reader.read(buf, start, limit, maxLines, maxRows, b);
  }
}

export const iisW3cFormat: FormatDef = {
  name: 'iis-w3c',
  sniff(head) {
    let fields = false;
    for (const d of w3cDirectives(head)) {
      if (d.name === 'software') {
        if (/microsoft internet information services/i.test(d.value)) return true;
        if (/http api/i.test(d.value)) return false; // HTTP.sys error log
      }
      if (d.name === 'log-type') return false; // Exchange protocol logs carry #Log-type
      if (d.name === 'fields' && !d.value.includes(',')) fields = true;
    }
    return fields;
  },
  create(ctx, state) {
    return new IisParser(ctx, (state as IisState | null) ?? null);
  },
  createChunked(ctx, state, engines) {
    return new IisChunkParser(ctx, (state as IisState | null) ?? null, engines.lineEngine());
  },
};
