import { pick } from './pick';

describe('pick', () => {
  it('copies only the named fields, in the order named', () => {
    const row = { id: 'a', name: 'Ada', team: 't1', secret: 'x' };
    const view = pick(row, ['team', 'id']);
    expect(view).toEqual({ team: 't1', id: 'a' });
    expect(Object.keys(view)).toEqual(['team', 'id']);
  });

  it('keeps a named field whose value is null or undefined', () => {
    const row: { a: string | null; b?: number } = { a: null, b: undefined };
    expect(Object.keys(pick(row, ['a', 'b']))).toEqual(['a', 'b']);
  });
});
