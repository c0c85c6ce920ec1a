/**
 * Lazy schemas of an area (issue 17, start-up): an area's zod schemas are built at the first use
 * of any of its methods, not when the contract is imported. Building every area's schemas took
 * most of the web host's own start-up time before its first answer (`auth.status` needs one).
 *
 * An area declares the prefixes of its method names (`cases` for `cases.list`, ...), so the
 * contract knows which area to build for a name without building any other; a method whose
 * prefix is not declared is refused when the area is built (the contract tests build every area).
 *
 * The object returned behaves like the plain map (`schemas['cases.list']`, `in`, `Object.keys`,
 * spreading), with the same type: nothing changes for the method types or their users.
 */
export interface LazyArea {
  /** Prefixes of the area's method names, before the first dot. */
  readonly prefixes: readonly string[];
  /** The area's schemas (built at the first call). */
  readonly build: () => Record<string, unknown>;
  /** True once built (tests). */
  readonly built: () => boolean;
}

const AREA = Symbol.for('htmp.contract.lazyArea');

/** The schemas of an area, built by `build` at their first use. */
export function lazySchemas<T extends Record<string, unknown>>(prefixes: readonly string[], build: () => T): T {
  let schemas: T | null = null;
  const real = (): T => {
    if (schemas) return schemas;
    const made = build();
    for (const name of Object.keys(made)) {
      const prefix = name.slice(0, name.indexOf('.'));
      if (!prefixes.includes(prefix)) throw new Error(`contract: method ${name} has a prefix its area does not declare (${prefixes.join(', ')})`);
    }
    schemas = made;
    return made;
  };
  const area: LazyArea = { prefixes, build: real, built: () => schemas !== null };
  return new Proxy({} as T, {
    get: (_t, key) => (key === AREA ? area : Reflect.get(real(), key)),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(real(), key),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** The lazy area behind schemas made by `lazySchemas`. */
export function areaOf(schemas: object): LazyArea {
  const area = (schemas as { [AREA]?: LazyArea })[AREA];
  if (!area) throw new Error('contract: not a lazy area');
  return area;
}
