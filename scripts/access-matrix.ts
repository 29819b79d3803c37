/** Prints the route x role access matrix (markdown) from src/auth/policy.ts: `npm run --silent docs:access-matrix`. */
import { accessMatrixMarkdown } from '../src/auth/access-matrix';

process.stdout.write(accessMatrixMarkdown());
