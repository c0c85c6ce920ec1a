import { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/** A named style of the definition's `styles` (pdfmake allows `extends`). */
type Style = Record<string, unknown> & { extends?: string | string[] };

interface StyleStack {
  styleDictionary: Record<string, Style | undefined>;
  defaultStyle: Record<string, unknown> | undefined;
  styleOverrides: unknown[];
  push(item: unknown): void;
  pop(howMany?: number): void;
  autopush(item: unknown): number;
  getProperty(property: string): unknown;
}
interface StyleStackClass {
  prototype: StyleStack;
  getStyleProperty(item: Record<string, unknown>, stack: StyleStack | null | undefined, property: string, defaultValue: unknown): unknown;
}

const isValue = (v: unknown): boolean => v !== undefined && v !== null;
const isString = (v: unknown): v is string | String => typeof v === 'string' || v instanceof String;

/**
 * A property of a named style: its own value, else the value of the styles it extends (the last
 * first), each style visited once. The set of visited names is made only where a style extends
 * another (none of this app's styles do).
 */
function fromStyle(dict: StyleStack['styleDictionary'], name: string, property: string, visited: Set<string> | null): unknown {
  if (visited?.has(name)) return undefined;
  const style = dict[name];
  if (!style) return undefined;
  const own = style[property];
  if (isValue(own)) return own;
  if (style.extends) {
    const seen = visited ?? new Set<string>();
    seen.add(name);
    const parents = Array.isArray(style.extends) ? style.extends : [style.extends];
    for (let i = parents.length - 1; i >= 0; i--) {
      const value = fromStyle(dict, parents[i]!, property, seen);
      if (isValue(value)) return value;
    }
  }
  return undefined;
}

let installed = false;
let cls: StyleStackClass | null = null;
type Lookups = { autopush: StyleStack['autopush']; getProperty: StyleStack['getProperty']; getStyleProperty: StyleStackClass['getStyleProperty'] };
let originals: Lookups | null = null;
let replacements: Lookups | null = null;

/** Swaps pdfmake's own lookups (false) and this module's (true); false when not installed (tests). */
export function useStyleStack(on: boolean): boolean {
  const set = on ? replacements : originals;
  if (!cls || !set) return false;
  cls.prototype.autopush = set.autopush;
  cls.prototype.getProperty = set.getProperty;
  cls.getStyleProperty = set.getStyleProperty;
  return true;
}

/**
 * pdfmake's style lookups without their garbage.
 *
 * pdfmake asks its style stack for ~25 properties of every text inline it measures (font, size,
 * bold, colour, decoration, link, ...; `TextInlines.measure`), and each question
 * (`StyleContextStack.getStyleProperty`) pushes the node's styles in a new array, makes a new
 * closure for `auto`, walks the stack and makes a new closure and a new `Set` for every named
 * style on it: a protocol's measuring made ~100,000 short-lived objects, a large part of the
 * garbage collector's fifth of a warm rendering (issue 17, sixth pass). The same lookups are done
 * here in place, in the same order with the same answers (pdfmake 0.3's StyleContextStack:
 * overrides from the top of the stack, a named style's own value before the styles it extends,
 * then the default style). Checked by hand (sixth pass): the fixture protocol is byte for byte
 * the one main's build makes; tested on every document kind since the seventh pass: test/electron/core/pdf/patches.test.ts.
 */
export function installStyleStack(): void {
  if (installed) return;
  installed = true;
  let found: StyleStackClass;
  try {
    found = (createRequire(path.join(appRoot(), 'package.json'))('pdfmake/js/StyleContextStack') as { default: StyleStackClass }).default;
  } catch {
    return; // pdfmake's own lookups
  }
  const proto = found.prototype;
  if (typeof proto.getProperty !== 'function' || typeof proto.autopush !== 'function' || typeof found.getStyleProperty !== 'function') return;
  cls = found;
  originals = { autopush: proto.autopush, getProperty: proto.getProperty, getStyleProperty: found.getStyleProperty };

  const autopush = function (this: StyleStack, item: unknown): number {
    if (isString(item)) return 0;
    const node = item as Record<string, unknown>;
    if (typeof node.section !== 'undefined') return 0; // a section node has no style overrides
    const overrides = this.styleOverrides;
    const style = node.style;
    let n = 0;
    if (style) {
      if (Array.isArray(style)) {
        for (const s of style) overrides.push(s);
        n = style.length;
      } else {
        overrides.push(style);
        n = 1;
      }
    }
    overrides.push(node);
    return n + 1;
  };

  const getProperty = function (this: StyleStack, property: string): unknown {
    const overrides = this.styleOverrides;
    if (overrides) {
      for (let i = overrides.length - 1; i >= 0; i--) {
        const item = overrides[i];
        if (isString(item)) {
          const value = fromStyle(this.styleDictionary, String(item), property, null);
          if (isValue(value)) return value;
        } else {
          const value = (item as Record<string, unknown>)[property];
          if (isValue(value)) return value;
        }
      }
    }
    return this.defaultStyle && this.defaultStyle[property];
  };

  const getStyleProperty: StyleStackClass['getStyleProperty'] = function (item, stack, property, defaultValue) {
    const own = item[property];
    if (isValue(own)) return own;
    if (!stack) return defaultValue;
    const pushed = stack.autopush(item);
    const value = stack.getProperty(property);
    if (pushed > 0) stack.pop(pushed);
    return isValue(value) ? value : defaultValue;
  };
  replacements = { autopush, getProperty, getStyleProperty };
  useStyleStack(true);
}
