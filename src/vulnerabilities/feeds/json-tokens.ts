// A pull cursor over stream-json's token stream, for the readers whose files are one big JSON object (the
// Debian tracker, the KEV catalogue): they walk the outer levels token by token and assemble only one inner
// value at a time, so memory holds one advisory, never the file. stream-json (maintained, pure JavaScript)
// tokenises across chunk boundaries; its parser caps nesting depth and the length of one packed string.
import type { Readable } from 'node:stream'
import { parser } from 'stream-json'
import Assembler from 'stream-json/assembler.js'

export type JsonToken = parser.Token

export class JsonTokens {
  private readonly iterator: AsyncIterator<JsonToken>

  constructor(content: Readable) {
    // Packed values only: the readers want whole keys and strings, not their chunks.
    const tokens = content.pipe(parser.asStream({ streamValues: false }))
    // pipe() does not forward errors: a read or gunzip failure must end the token stream too.
    content.on('error', (err) => tokens.destroy(err))
    this.iterator = (tokens as AsyncIterable<JsonToken>)[Symbol.asyncIterator]()
    this.close = () => {
      content.destroy()
      tokens.destroy()
    }
  }

  readonly close: () => void

  /** The next token, or null at the end of the text. */
  async next(): Promise<JsonToken | null> {
    const result = await this.iterator.next()
    return result.done ? null : result.value
  }

  /** The next token, which the caller needs: the text ending here is cut short. */
  async expect(): Promise<JsonToken> {
    const token = await this.next()
    if (token === null) throw new Error('the JSON text ends early')
    return token
  }

  /** Assembles the value that starts with `first` (already read) into a plain JavaScript value. */
  async value(first: JsonToken): Promise<unknown> {
    const assembler = new Assembler()
    assembler.consume(first)
    while (!assembler.done) assembler.consume(await this.expect())
    return assembler.current
  }

  /** Skips the value that starts with `first`. */
  async skip(first: JsonToken): Promise<void> {
    let depth = first.name === 'startObject' || first.name === 'startArray' ? 1 : 0
    while (depth > 0) {
      const token = await this.expect()
      if (token.name === 'startObject' || token.name === 'startArray') depth++
      else if (token.name === 'endObject' || token.name === 'endArray') depth--
    }
  }
}
