import { join } from 'node:path';
import { describeCycle, folderCycles, folderGraph, type FolderGraph } from './folder-graph';

const graphOf = (edges: Record<string, string[]>): FolderGraph =>
  new Map(
    Object.entries(edges).map(([from, tos]) => [
      from,
      new Map(tos.map((to) => [to, [{ file: `src/${from}/x.ts`, specifier: `../${to}` }]])),
    ]),
  );

describe('folders of src import one another one way only (docs/architecture.md, "Import rules")', () => {
  it('no two top-level folders of src import each other, directly or around a loop', () => {
    const graph = folderGraph(join(__dirname, '../../src'));
    const cycles = folderCycles(graph).map((cycle) => describeCycle(graph, cycle));
    // Listed in full when there are some: which folders, and one import for each step of the loop.
    expect(cycles).toEqual([]);
  });

  it('the check finds a loop of two folders and of three, and says which imports make it', () => {
    const graph = graphOf({ auth: ['users', 'core'], users: ['auth'], core: ['shared'], a: ['b'], b: ['c'], c: ['a'] });
    expect(folderCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['auth', 'users', 'auth'],
    ]);
    expect(describeCycle(graph, ['auth', 'users', 'auth'])).toBe(
      "auth -> users -> auth\n  auth -> users (src/auth/x.ts: '../users')\n  users -> auth (src/users/x.ts: '../auth')",
    );
  });

  it('folders that only depend one way have no cycle', () => {
    expect(folderCycles(graphOf({ web: ['audits', 'core'], audits: ['core', 'shared'], core: ['shared'] }))).toEqual([]);
  });
});
