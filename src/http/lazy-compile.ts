// Route schemas compile on their route's first use instead of at start. Compiling every request
// validator (Ajv) and response serializer (fast-json-stringify) up front took most of the
// start-up time and about 30 MB of memory, for routes most installations call rarely or never.
// `compileAll()` compiles whatever is still pending, so a test can prove every schema compiles.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler'

export interface LazyCompiled<F extends (...args: never[]) => unknown> {
  /** Calls the compiled function, compiling it first if this is the first call. */
  run: (...args: Parameters<F>) => ReturnType<F>
  /** The compiled function (compiles it now if needed). */
  current: () => F
}

export class LazyCompiles {
  private readonly pending = new Set<() => unknown>()

  wrap<F extends (...args: never[]) => unknown>(compile: () => F): LazyCompiled<F> {
    let compiled: F | undefined
    const current = (): F => {
      if (compiled === undefined) {
        compiled = compile()
        this.pending.delete(current)
      }
      return compiled
    }
    this.pending.add(current)
    return { run: (...args) => current()(...args) as ReturnType<F>, current }
  }

  /** How many schemas have not been compiled yet. */
  get pendingCount(): number {
    return this.pending.size
  }

  /** Compiles every pending schema; throws the first compile error (an invalid schema). */
  compileAll(): number {
    const all = [...this.pending]
    for (const compile of all) compile()
    return all.length
  }
}

/** Fastify's own serializer factory (fast-json-stringify with shared schemas), compiling lazily. */
export function lazySerializerBuilder(lazy: LazyCompiles): SerializerFactory {
  const eager = SerializerSelector()
  return (externalSchemas, serializerOptions) => {
    const compileFor = eager(externalSchemas, serializerOptions)
    return (route) => {
      const serialize = lazy.wrap(() => compileFor(route))
      return (data: unknown) => serialize.run(data)
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The schemas of this app that compile on first use (see above). */
    schemaCompiles: LazyCompiles
  }
}
