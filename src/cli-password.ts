/**
 * How `user:password` reads a password: typed at a terminal with nothing shown (asked twice),
 * or, when stdin is not a terminal (a pipe, a file, a secret manager), its first line. Never an
 * argument: command lines are visible to every user of the machine and kept in shell history.
 */
export async function readPassword(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) return firstLine(input);
  const first = await promptHidden(input, output, 'New password: ');
  const again = await promptHidden(input, output, 'Type it again: ');
  if (first !== again) throw new PasswordsDiffer();
  return first;
}

export class PasswordsDiffer extends Error {
  constructor() {
    super('The two passwords typed were not the same; nothing was changed.');
  }
}

/** The first line of a stream (without its line ending); the rest is ignored. */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

/** One line typed at a terminal in raw mode, echoing nothing; Ctrl-C or Ctrl-D gives up. */
function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<string> {
  output.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: string): void => {
      for (const char of data) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u0004') return done(new Error('Cancelled; nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}
