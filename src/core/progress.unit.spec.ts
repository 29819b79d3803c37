import { PassThrough } from 'node:stream';
import { progressBar, type ProgressStream } from './progress';

/** A stream that collects what is written to it, looking like a terminal or not. */
function stream(isTTY: boolean): { out: ProgressStream; text: () => string } {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  out.isTTY = isTTY;
  out.columns = 100;
  const chunks: string[] = [];
  out.on('data', (d: Buffer) => chunks.push(d.toString()));
  return { out, text: () => chunks.join('') };
}

describe('CLI progress bar', () => {
  it('draws on a terminal: label, bar, percentage and counts', async () => {
    const { out, text } = stream(true);
    const bar = progressBar('Rebuilding read models', 'events', out);
    bar.update(0, 200);
    bar.update(50);
    bar.update(200);
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(text()).toContain('Rebuilding read models [');
    expect(text()).toContain('100% | 200/200 events');
  });

  it('writes nothing at all when the stream is not a terminal', async () => {
    const { out, text } = stream(false);
    const bar = progressBar('Rebuilding read models', 'events', out);
    bar.update(0, 200);
    bar.update(200);
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('');
  });
});
