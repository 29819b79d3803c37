/**
 * The sources of a drafted self-assessment cite the API's reads (`/api/v1/impact?actionId=…`): what the
 * draft and the record keep. People follow the page that shows the same record or figure instead.
 */
const PAGES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^\/api\/v1\/audits(\?.*)?$/, (m) => `/audits${m[1] ?? ''}`],
  [/^\/api\/v1\/audit-programmes\/([^/?]+)\/comparison(\?.*)?$/, (m) => `/audits/programmes/${m[1]}/comparison${m[2] ?? ''}`],
  [/^\/api\/v1\/audit-programmes\/([^/?]+)\/findings$/, (m) => `/audits/programmes/${m[1]}#findings`],
  [/^\/api\/v1\/audit-programmes\/([^/?]+)\/summary$/, (m) => `/audits/programmes/${m[1]}`],
  [/^\/api\/v1\/impact(\?.*)?$/, (m) => `/impact${m[1] ?? ''}`],
  [/^\/api\/v1\/indicators\/([^/?]+)$/, (m) => `/scorecard/${m[1]}`],
  [/^\/api\/v1\/scorecard(\?.*)?$/, (m) => `/scorecard${m[1] ?? ''}`],
  [/^\/api\/v1\/disputes\/stats(\?.*)?$/, () => '/disputes/stats'],
  [/^\/api\/v1\/plans\/([^/?]+)\/status(\?.*)?$/, (m) => `/plans/${m[1]}`],
  [/^\/api\/v1\/actions\/([^/?]+)(\?.*)?$/, (m) => `/actions/${m[1]}`],
  [/^\/api\/v1\/teams\/([^/?]+)\/outstanding-actions(\?.*)?$/, (m) => `/teams/${m[1]}/outstanding-actions`],
  [/^\/api\/v1\/plans$/, () => '/plans'],
];

/** The page showing what an API link cites; a link with no page of its own is kept as it is. */
export function pageHrefOf(href: string): string {
  for (const [pattern, page] of PAGES) {
    const match = pattern.exec(href);
    if (match) return page(match);
  }
  return href;
}
