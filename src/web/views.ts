import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import { dayText, periodText, whenText } from './dates';

/** The repository root (holds package.json), whether running from src/ (ts) or dist/src/ (js). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const GOVUK_DIST = join(projectRoot(), 'node_modules', 'govuk-frontend', 'dist');
/** Templates are read from the source tree in every mode (no build step copies them). */
export const VIEWS_DIR = join(projectRoot(), 'src', 'web', 'views');

/** Words of codes that are written otherwise in a sentence: initialisms and names. */
const SPELLED: Readonly<Record<string, string>> = {
  qa: 'QA',
  iro: 'IRO',
  iros: 'IROs',
  cp: 'CP',
  cin: 'CIN',
  lac: 'LAC',
  dfe: 'DfE',
  ofsted: 'Ofsted',
  cafcass: 'Cafcass',
  rag: 'RAG',
  uasc: 'UASC',
  ehcp: 'EHCP',
};

/**
 * THE way a code becomes words on a page (labels, roles, grades, categories): "qa-officer" -> "QA officer",
 * "cp-plan" -> "CP plan", "dfe-review" -> "DfE review": initialisms as people write them (mid-sentence: no capital).
 */
export function lowerWords(value: unknown): string {
  return String(value ?? '')
    .split(/[-\s]+/)
    .filter(Boolean)
    .map((word) => SPELLED[word.toLowerCase()] ?? word)
    .join(' ');
}

/** "requires-improvement" -> "Requires improvement", "qa-officer" -> "QA officer", "dfe-review" -> "DfE review". */
export function words(value: unknown): string {
  const text = lowerWords(value);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One Nunjucks environment: our views first, then GOV.UK Frontend's component macros ("govuk/components/..."). */
export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('words', words);
  // Mid-sentence: "(team manager)", "(QA officer)", never "(qa officer)" as `words | lower` wrote it.
  env.addFilter('lowerWords', lowerWords);
  // One date style on every page (src/web/dates.ts): "5 December 2026", "5 December 2026 at 14:05" (UK time).
  env.addFilter('day', dayText);
  env.addFilter('when', whenText);
  env.addFilter('period', periodText);
  return env;
}

/** GOV.UK tag colours of the RAG ratings that are not named after their colour. */
const RAG_COLOUR: Readonly<Record<string, string>> = { amber: 'orange', none: 'grey' };
/** A RAG rating's GOV.UK tag, by rating: the page's words for each, in the rating's colour. */
export const ragTags = (texts: Record<string, string>): Record<string, { text: string; classes: string }> =>
  Object.fromEntries(
    Object.entries(texts).map(([rag, text]) => [rag, { text, classes: `govuk-tag--${RAG_COLOUR[rag] ?? rag}` }]),
  );
