import type { EntityManager } from 'typeorm';
import type { ProjectionRunner, RowVersion } from '@casetrail/projections';
import { runAsAt } from './as-at-scope';
import { cachedJson, ReadCache, READ_CACHE_MAX_ENTRIES } from './read-cache';

/** A runner whose row versions the test sets by hand. */
class Versions {
  readonly of = new Map<string, RowVersion | null>();
  set(name: string, position: bigint, changedAt = position, epoch = 1): void {
    this.of.set(name, { epoch, position, changedAt });
  }
  runner(): ProjectionRunner {
    return { rowVersion: (name: string) => this.of.get(name) ?? null } as unknown as ProjectionRunner;
  }
}

describe('ReadCache (an answer is given again only while the projections it read have not moved)', () => {
  let versions: Versions;
  let cache: ReadCache;
  let loads: number;
  const load = (answer = 'fresh'): (() => Promise<{ answer: string; load: number }>) => {
    return () => Promise.resolve({ answer, load: ++loads });
  };

  beforeEach(() => {
    versions = new Versions();
    versions.set('teams', 10n);
    versions.set('audits', 20n);
    cache = new ReadCache(versions.runner());
    loads = 0;
  });

  it('given an answer read at the projections’ positions, when nothing moved, then the same answer is given without a read', async () => {
    const first = await cache.read(['teams', 'audits'], 'k', load());
    const second = await cache.read(['teams', 'audits'], 'k', load());
    expect(second).toBe(first);
    expect(loads).toBe(1);
  });

  it('given a cached answer, when any projection it read is handed a later event, then it is read again', async () => {
    await cache.read(['teams', 'audits'], 'k', load());
    // changedAt moves before the batch's rows are written: stale from that moment.
    versions.set('audits', 20n, 21n);
    expect((await cache.read(['teams', 'audits'], 'k', load('after'))).answer).toBe('after');
    expect(loads).toBe(2);
  });

  it('given an answer read while a batch was being written, when the batch is committed, then it is not given again', async () => {
    versions.set('teams', 10n, 11n); // batch up to 11 handed over, not yet committed
    await cache.read(['teams'], 'k', load());
    versions.set('teams', 11n); // committed
    await cache.read(['teams'], 'k', load());
    expect(loads).toBe(2);
    await cache.read(['teams'], 'k', load());
    expect(loads).toBe(2);
  });

  it('given a cached answer, when a projection it did not read moves, then the answer is still given', async () => {
    await cache.read(['teams'], 'k', load());
    versions.set('audits', 30n, 31n);
    await cache.read(['teams'], 'k', load());
    expect(loads).toBe(1);
  });

  it('given a cached answer, when the runner restarts or resets a projection (a new epoch), then it is read again', async () => {
    await cache.read(['teams'], 'k', load());
    versions.set('teams', 10n, 10n, 2);
    await cache.read(['teams'], 'k', load());
    expect(loads).toBe(2);
  });

  it('given an instance that does not run the projections, when asked twice, then it reads every time', async () => {
    versions.of.set('teams', null);
    await cache.read(['teams'], 'k', load());
    await cache.read(['teams'], 'k', load());
    expect(loads).toBe(2);
  });

  it('given an as-at request, when asked, then it reads the history and keeps nothing', async () => {
    const scope = { position: 5n, asAt: '2020-01-01T00:00:00.000Z', manager: {} as EntityManager };
    await runAsAt(scope, () => cache.read(['teams'], 'k', load('then')));
    expect((await cache.read(['teams'], 'k', load('now'))).answer).toBe('now');
    expect(loads).toBe(2);
  });

  it('given different keys, when each is asked, then each has its own answer', async () => {
    expect((await cache.read(['teams'], 'a', load('a'))).answer).toBe('a');
    expect((await cache.read(['teams'], 'b', load('b'))).answer).toBe('b');
    expect((await cache.read(['teams'], 'a', load('x'))).answer).toBe('a');
  });

  it('given a cached answer, when a caller tries to change it, then it throws and the next caller gets it unchanged', async () => {
    const first = await cache.read(['teams'], 'k', () => Promise.resolve({ rows: [{ name: 'North' }] }));
    expect(() => {
      (first.rows[0] as { name: string }).name = 'South';
    }).toThrow(TypeError);
    expect((await cache.read(['teams'], 'k', () => Promise.resolve({ rows: [{ name: '?' }] }))).rows[0].name).toBe('North');
  });

  it('given as many answers as it keeps, when one more is read, then it starts again rather than grow', async () => {
    for (let i = 0; i < READ_CACHE_MAX_ENTRIES; i++) await cache.read(['teams'], `k${i}`, load());
    await cache.read(['teams'], 'one more', load());
    await cache.read(['teams'], 'k0', load());
    expect(loads).toBe(READ_CACHE_MAX_ENTRIES + 2);
  });

  it('given a failed read, when asked again, then it reads again (a failure is never kept)', async () => {
    await expect(cache.read(['teams'], 'k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await cache.read(['teams'], 'k', load())).answer).toBe('fresh');
  });
  it('given a cached answer, when its JSON is asked for again and again, then it is serialised once, as JSON.stringify would', async () => {
    const answer = await cache.read(['teams'], 'k', () =>
      Promise.resolve({ name: 'North', ratings: [{ good: 1 }], closedOn: null }),
    );
    const json = cachedJson(answer);
    expect(json?.toString('utf8')).toBe(JSON.stringify(answer));
    expect(cachedJson(answer)).toBe(json);
    expect(cachedJson(await cache.read(['teams'], 'k', load()))).toBe(json);
    // A new answer (the projection moved) has its own JSON.
    versions.set('teams', 11n);
    const moved = await cache.read(['teams'], 'k', () => Promise.resolve({ name: 'North and Coast' }));
    expect(cachedJson(moved)?.toString('utf8')).toBe('{"name":"North and Coast"}');
  });

  it('given a value ReadCache did not give (another query, an as-at answer, no row versions), then it has no cached JSON', async () => {
    expect(cachedJson({ name: 'North' })).toBeUndefined();
    expect(cachedJson('text')).toBeUndefined();
    expect(cachedJson(null)).toBeUndefined();
    const scope = { position: 5n, asAt: '2020-01-01T00:00:00.000Z', manager: {} as EntityManager };
    expect(cachedJson(await runAsAt(scope, () => cache.read(['teams'], 'k', load('then'))))).toBeUndefined();
    versions.of.set('teams', null);
    expect(cachedJson(await cache.read(['teams'], 'k', load('unversioned')))).toBeUndefined();
  });
});
