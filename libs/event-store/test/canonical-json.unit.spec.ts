/**
 * sealEvents hashes canonicalJson(value) instead of canonicalize(JSON.parse(JSON.stringify(value))):
 * the two must agree on every value an append can carry, or new hashes would stop matching
 * what verification recomputes from the stored bytes.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from '@casetrail/event-store';

const viaRoundTrip = (value: unknown): string | undefined => {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : canonicalize(JSON.parse(json));
};

describe('canonicalJson', () => {
  it('equals canonicalize of the JSON round trip on any JSON-like value', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.array(tie('any'), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('any'), { maxKeys: 6 }),
      ),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(viaRoundTrip(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it('follows JSON.stringify on the awkward cases', () => {
    const cases: unknown[] = [
      { b: 1, a: [undefined, () => 1, Symbol('s'), NaN, -0, Infinity], c: undefined, d: () => 2 },
      { '10': 'x', '9': 'y', é: 1, e: 2, Z: 3, '': 4 },
      { toJSON: (key: string) => ({ key, z: 1, a: 2 }) },
      { nested: { toJSON: (key: string) => `key ${key}` }, list: [{ toJSON: (key: string) => key }] },
      { n: new Number(3), s: new String('s'), t: new Boolean(false), when: new Date(0) },
      { toJSON: 'not a function', a: 1 },
      Buffer.from('hi'),
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      new Map([['a', 1]]),
      '\ud800 lone surrogate',
      // The plain-data fast path (a key-sorted copy written by native JSON.stringify) and where it must step aside.
      JSON.parse('{"__proto__":{"b":1,"a":2},"z":1}'),
      Object.assign(Object.create(null) as object, { b: 1, a: { d: 1, c: [2, { f: 1, e: 2 }] } }),
      [{ b: 1, a: 2 }, [{ y: 1, x: 2 }], undefined, null],
      { '1': 'a', b: { '0': 1, a: 2 }, '01': 3 },
      { a: { b: [1, 'x', true, null] }, c: 'already sorted' },
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(viaRoundTrip(value));
    expect(canonicalJson(undefined)).toBeUndefined();
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });
});
