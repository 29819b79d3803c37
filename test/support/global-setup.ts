import { buildForChildProcesses } from '../../libs/testing/src/built';

/** Once per Jest run: the compiled code that the tests' child processes run. */
export default function globalSetup(): void {
  buildForChildProcesses();
}
