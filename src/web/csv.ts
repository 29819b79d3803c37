import type { Response } from 'express';

/** RFC 4180, and a leading = + - @ is quoted out so a spreadsheet never runs a cell as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `columns`: the names, or one string of them separated by spaces. */
export function csv<T extends object>(names: readonly string[] | string, rows: readonly T[]): string {
  const columns = typeof names === 'string' ? names.split(' ') : names;
  const lines = [
    columns.map(cell).join(','),
    ...rows.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export function sendCsv(response: Response, filename: string, body: string): void {
  response.type('text/csv; charset=utf-8').attachment(filename).send(body);
}
