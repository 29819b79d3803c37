import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * scripts/build.mjs (what `npm start` and `npm run cli` run first), on a tiny Nest project of its own:
 * it builds only when the sources changed, and a rebuild never takes the folder a running process uses.
 */
describe('the build script', () => {
  const repo = join(__dirname, '..', '..');
  let project: string;

  const build = (...args: string[]) => {
    const run = spawnSync(process.execPath, [join(project, 'scripts', 'build.mjs'), ...args], { cwd: project, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`build failed: ${run.stderr}`);
    return run.stderr;
  };
  const writeMain = (word: string) => {
    // Reads a second module only when told to, as a server loads code lazily long after it started.
    const main = `process.stdin.once('data', () => { console.log(require('./late').word); process.exit(0); });\n`;
    writeFileSync(join(project, 'src', 'main.ts'), main);
    writeFileSync(join(project, 'src', 'late.ts'), `export const word = '${word}';\n`);
  };

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'casetrail-build-'));
    mkdirSync(join(project, 'scripts'));
    mkdirSync(join(project, 'src'));
    cpSync(join(repo, 'scripts', 'build.mjs'), join(project, 'scripts', 'build.mjs'));
    symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'package.json'), '{"name":"tiny","private":true}');
    writeFileSync(
      join(project, 'nest-cli.json'),
      JSON.stringify({
        sourceRoot: 'src',
        compilerOptions: { builder: 'tsc', tsConfigPath: 'tsconfig.build.json', deleteOutDir: true },
      }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'commonjs', target: 'ES2022', outDir: './dist', rootDir: '.', types: ['node'] },
        include: ['src'],
      }),
    );
    writeFileSync(join(project, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json' }));
    writeMain('first');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('builds once, then answers at once while the sources are unchanged', () => {
    expect(build()).toMatch(/Casetrail built in/);
    expect(existsSync(join(project, 'dist', 'src', 'main.js'))).toBe(true);
    expect(build()).toMatch(/sources unchanged/);
    expect(build('--quiet')).toBe('');
  });

  it('a rebuild after a change leaves a running process its own build', async () => {
    const before = readlinkSync(join(project, 'dist'));
    const running = spawn(process.execPath, [join(project, 'dist', 'src', 'main.js')], { cwd: project });
    let out = '';
    running.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // 'close', not 'exit': at 'exit' the child's stdout may still hold what it printed (seen under load in CI).
    const exited = new Promise<number | null>((resolve) => running.on('close', resolve));

    writeMain('second');
    expect(build()).toMatch(/Casetrail built in/);
    expect(readlinkSync(join(project, 'dist'))).not.toBe(before);
    expect(readFileSync(join(project, 'dist', 'src', 'late.js'), 'utf8')).toContain('second');

    // The process started before the rebuild still loads its own (older) code.
    running.stdin.write('go\n');
    expect(await exited).toBe(0);
    expect(out.trim()).toBe('first');
  });
});
