/**
 * The look-ups a read makes per event (the stream's subject, whether anyone is erased) are
 * cached, and the caches follow erasures and links made here or by another process (the CLI).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectKeyStore } from './subject-key-store';

describe('subject look-ups during reads', () => {
  let dir: string;
  const master = randomBytes(32);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('nobody is erased until someone is, here or in another process', () => {
    const file = join(dir, 'k.sqlite');
    const server = new SubjectKeyStore(file, master);
    const cli = new SubjectKeyStore(file, master);
    server.keyForSubject('C-1');
    expect(server.anyErased()).toBe(false);
    expect(server.anyErased()).toBe(false);
    cli.erase('C-1', '2026-01-01T00:00:00.000Z');
    expect(server.anyErased()).toBe(true);
    expect(server.isErased('C-1')).toBe(true);

    const other = join(dir, 'k2.sqlite');
    const here = new SubjectKeyStore(other, master);
    expect(here.anyErased()).toBe(false);
    here.erase('C-2', '2026-01-01T00:00:00.000Z');
    expect(here.anyErased()).toBe(true);
    server.close();
    cli.close();
    here.close();
  });

  it("a stream's subject is found once linked, here or in another process", () => {
    const file = join(dir, 'k.sqlite');
    const server = new SubjectKeyStore(file, master);
    const cli = new SubjectKeyStore(file, master);
    expect(server.subjectOfStream('dispute-1')).toBeUndefined();
    server.linkStream('dispute-1', 'C-1');
    expect(server.subjectOfStream('dispute-1')).toBe('C-1');
    expect(server.subjectOfStream('dispute-2')).toBeUndefined();
    cli.linkStream('dispute-2', 'C-2');
    expect(server.subjectOfStream('dispute-2')).toBe('C-2');
    // A link is never changed: the first one stays.
    cli.linkStream('dispute-1', 'C-9');
    expect(server.subjectOfStream('dispute-1')).toBe('C-1');
    server.close();
    cli.close();
  });
});
