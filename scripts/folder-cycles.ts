// Part of `npm run lint`: no two top-level folders of src import each other, directly or around a loop
// (docs/architecture.md, "Import rules"). ESLint sees one file at a time, so the loop is found here, by
// the same graph the architecture test checks (test/architecture/folder-cycles.unit.spec.ts).
import { join } from 'node:path';
import { describeCycle, folderCycles, folderGraph } from '../test/architecture/folder-graph';

const graph = folderGraph(join(__dirname, '../src'));
const cycles = folderCycles(graph);
for (const cycle of cycles) console.error(describeCycle(graph, cycle));
if (cycles.length > 0) {
  console.error(`${cycles.length} import loop(s) between folders of src: make one side import through a contract instead.`);
  process.exit(1);
}
