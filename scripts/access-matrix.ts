/**
 * The route x role access matrix (markdown) from src/auth/policy.ts: `npm run --silent docs:access-matrix`
 * prints it; `npm run --silent docs:access-matrix -- --write` puts it between the access-matrix markers of
 * docs/access.md. test/e2e/access-matrix.e2e.spec.ts checks that copy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessMatrixMarkdown } from '../src/auth/access-matrix';

const matrix = accessMatrixMarkdown();
if (process.argv.includes('--write')) {
  const file = join(__dirname, '..', 'docs', 'access.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- access-matrix:start -->\n';
  const end = '<!-- access-matrix:end -->';
  const from = text.indexOf(start) + start.length;
  const to = text.indexOf(end);
  if (from < start.length || to < from) throw new Error(`${file} has no access-matrix markers`);
  writeFileSync(file, text.slice(0, from) + matrix + (matrix.endsWith('\n') ? '' : '\n') + text.slice(to));
} else {
  process.stdout.write(matrix);
}
