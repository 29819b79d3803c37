/**
 * Prints the route x role access matrix (markdown) from src/auth/policy.ts: `npm run --silent docs:access-matrix`.
 * Paste it between the access-matrix markers of docs/access.md; test/e2e/access-matrix.e2e.spec.ts checks that copy.
 */
import { accessMatrixMarkdown } from '../src/auth/access-matrix';

process.stdout.write(accessMatrixMarkdown());
