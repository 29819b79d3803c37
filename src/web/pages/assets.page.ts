import { Get, NotFoundException, Param, Res } from '@nestjs/common';
import { PageController } from '../kit';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOVUK_DIST, projectRoot } from '../views';

/**
 * GOV.UK Frontend's styles without the GDS Transport typeface (it is licensed for GOV.UK only):
 * the @font-face rules go and every font stack falls back to Arial. Done once, at start-up.
 */
export function councilStyles(css: string): string {
  return css.replace(/@font-face\{[^}]*\}/g, '').replace(/font-family:\s*"?GDS Transport"?,\s*/g, 'font-family:');
}

const STATIC_DIR = join(projectRoot(), 'src', 'web', 'static');

/** A fixed list, read once: nothing else on disk can be asked for. */
function loadAssets(): Map<string, { type: string; body: Buffer | string }> {
  const govuk = join(GOVUK_DIST, 'govuk');
  return new Map<string, { type: string; body: Buffer | string }>([
    ['govuk.css', { type: 'text/css', body: councilStyles(readFileSync(join(govuk, 'govuk-frontend.min.css'), 'utf8')) }],
    ['govuk-frontend.min.js', { type: 'text/javascript', body: readFileSync(join(govuk, 'govuk-frontend.min.js')) }],
    ['app.mjs', { type: 'text/javascript', body: readFileSync(join(STATIC_DIR, 'app.mjs')) }],
    ['casetrail.css', { type: 'text/css', body: readFileSync(join(STATIC_DIR, 'casetrail.css')) }],
    ['casetrail.svg', { type: 'image/svg+xml', body: readFileSync(join(STATIC_DIR, 'casetrail.svg')) }],
  ]);
}

@PageController('web-assets')
export class AssetsController {
  private readonly assets = loadAssets();

  @Get(':file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = this.assets.get(file);
    if (!asset) throw new NotFoundException();
    response.type(asset.type).set('Cache-Control', 'public, max-age=3600').send(asset.body);
  }
}
