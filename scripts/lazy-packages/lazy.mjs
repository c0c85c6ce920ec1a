// The stand-in a Node bundle gets for a package it loads on first use (see build-lib.cjs,
// LAZY_PACKAGES): `require`s the package at the first access and forwards everything to it.
export function lazyPackage(name) {
  let real;
  const load = () => {
    if (real === undefined) {
      const m = require(name);
      // The default import as esbuild gives it for a CommonJS package.
      real = m && m.__esModule ? m.default : m;
    }
    return real;
  };
  const isClass = (v) => v.prototype !== undefined && Object.getOwnPropertyNames(v.prototype).length > 1;
  return new Proxy(function lazy() {}, {
    get(_t, key) {
      const m = load();
      const v = m[key];
      // Methods keep their package object as `this`; constructors stay usable with `new`.
      return typeof v === 'function' && !isClass(v) ? v.bind(m) : v;
    },
    set(_t, key, value) {
      load()[key] = value;
      return true;
    },
    has: (_t, key) => key in load(),
    apply: (_t, self, args) => Reflect.apply(load(), self, args),
    construct: (_t, args) => Reflect.construct(load(), args),
  });
}
