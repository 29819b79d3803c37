#!/usr/bin/env node
// Screenshots of every main page for each role, of the pages no menu leads to straight away (for the
// role that uses each), and the print previews of a plan and an audit, into docs/screenshots/ (PNG,
// 1,280 px wide), listed in docs/screenshots.md.
//
// It runs the browser test that visits those pages (test/browser/every-page.browser.spec.ts: a
// seeded SQLite store, Debian's Chromium, axe-core on each page) with SCREENSHOTS_DIR set, so the
// pictures are of pages that passed the same checks. Needs /usr/bin/chromium (or CHROMIUM_PATH).
//
//   npm run screenshots
//   npm run screenshots -- --list-only   (only docs/screenshots.md, from docs/screenshots/index.json)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'docs', 'screenshots');
// --list-only: write docs/screenshots.md from the last run's index.json, without running the test again.
const listOnly = process.argv.includes('--list-only');
let status = 0;
if (!listOnly) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const jest = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), 'test/browser/every-page.browser.spec.ts', '--maxWorkers=1'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, SCREENSHOTS_DIR: folder } },
  );
  status = jest.status ?? 1;
  if (status !== 0) console.error('The browser test failed (see above): the pages it could show are listed all the same.');
}

const ROLES = {
  admin: 'Administrator',
  'qa-officer': 'QA officer',
  iro: 'Independent reviewing officer (IRO)',
  'team-manager': 'Team manager',
  'improvement-lead': 'Improvement lead',
  inspector: 'Inspector',
};
const shots = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8'));
const entry = (s) =>
  `| ${s.title} | \`${s.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, ':id')}\` | [${s.file}](screenshots/${s.file}) |`;
const table = (list) => ['| Page | Address | Screenshot |', '| --- | --- | --- |', ...list.map(entry)];
const lines = [
  '# Screenshots',
  '',
  'Every main page for each role, on a small seeded store (one team, an audit, a dispute, a plan with an',
  'action, an indicator, a case list and a programme sample, an audit finding the action answers), and the',
  'print previews of a plan and an audit. The pages no menu leads to straight away (case lists, the sample,',
  'the finding forms, the impact view by priority, the self-assessment draft, the indicator forms) are shown',
  'once each, in full, for the role that uses them. Made by `npm run screenshots`',
  '(`scripts/screenshots.mjs`), which runs `test/browser/every-page.browser.spec.ts`: every page shown',
  'passed axe-core (no serious or critical violation) in the same run. Chromium, 1,280 px wide, the top',
  '900 px of each page; the print previews in full, as Chromium lays them out for print.',
  '',
  '## Printed',
  '',
  ...table(shots.filter((s) => s.role === 'print')),
  '',
];
for (const [role, title] of Object.entries(ROLES)) {
  lines.push(`## ${title}`, '', ...table(shots.filter((s) => s.role === role)), '');
}
writeFileSync(join(root, 'docs', 'screenshots.md'), lines.join('\n'));
console.log(`${shots.length} screenshots in docs/screenshots, listed in docs/screenshots.md`);
process.exit(status);
