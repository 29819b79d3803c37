import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/** An import from one top-level folder of src/ into another: where it is and what it names. */
export interface FolderImport {
  file: string;
  specifier: string;
}

/** folder -> folder it imports -> the imports that make the edge. */
export type FolderGraph = Map<string, Map<string, FolderImport[]>>;

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

/** The top-level folder of `src` that holds a path; null for the composition root (src/*.ts) and anything outside. */
function folderOf(src: string, path: string): string | null {
  const parts = relative(src, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
}

/**
 * Which top-level folder of `src` imports which, from every relative import, export … from,
 * require and dynamic import (as the TypeScript compiler reads them). The composition root
 * (src/*.ts: app.module.ts, contexts.ts, cli.ts, …) is left out: it may import every folder.
 */
export function folderGraph(src: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of tsFiles(src)) {
    const from = folderOf(src, file);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const to = folderOf(src, existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
      if (!to || to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to)!.push({ file: relative(dirname(src), file).split(sep).join('/'), specifier });
    }
  }
  return graph;
}

/**
 * Every cycle between folders, one per strongly connected component (Tarjan), as the path that
 * closes it (['auth', 'users', 'auth']), sorted.
 */
export function folderCycles(graph: FolderGraph): string[][] {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((edges) => [...edges.keys()])])].sort();
  const next = (node: string): string[] => [...(graph.get(node)?.keys() ?? [])].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  // Within each component, the shortest way from its first folder back to itself.
  return components
    .map((component) => {
      const start = component[0];
      const paths: string[][] = [[start]];
      for (const path of paths) {
        for (const to of next(path[path.length - 1]).filter((n) => component.includes(n))) {
          if (to === start) return [...path, start];
          if (!path.includes(to)) paths.push([...path, to]);
        }
      }
      return component;
    })
    .sort((a, b) => a.join().localeCompare(b.join()));
}

/** A cycle in words, with one import for each of its edges. */
export function describeCycle(graph: FolderGraph, cycle: string[]): string {
  const edges = cycle.slice(1).map((to, i) => {
    const from = cycle[i];
    const example = graph.get(from)?.get(to)?.[0];
    return `  ${from} -> ${to}${example ? ` (${example.file}: '${example.specifier}')` : ''}`;
  });
  return `${cycle.join(' -> ')}\n${edges.join('\n')}`;
}
