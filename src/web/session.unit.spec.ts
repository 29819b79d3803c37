import { SessionCodec, parseCookies } from './session';
import { councilStyles } from './pages/assets.page';
import { csv } from './csv';

describe('web session cookie', () => {
  const codec = new SessionCodec(Buffer.from('a test secret that is long enough!!'));
  const now = Date.parse('2026-11-20T09:00:00Z');

  it('reads back what it wrote', () => {
    const session = codec.fresh('user-1', now);
    expect(codec.decode(codec.encode(session), now)).toEqual(session);
  });

  it('refuses a cookie whose contents were changed (another user id)', () => {
    const [body, mac] = codec.encode(codec.fresh('user-1', now)).split('.');
    const forged = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    forged.userId = 'admin-1';
    expect(codec.decode(`${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`, now)).toBeNull();
  });

  it('refuses a cookie signed with another secret, and an expired one', () => {
    const other = new SessionCodec(Buffer.from('another secret, also long enough!!'));
    expect(codec.decode(other.encode(other.fresh('user-1', now)), now)).toBeNull();
    const session = codec.fresh('user-1', now);
    expect(codec.decode(codec.encode(session), session.expiresAt)).toBeNull();
  });

  it("binds the CSRF token to the session: another session's token does not pass", () => {
    const mine = codec.fresh(null, now);
    const theirs = codec.fresh(null, now);
    expect(codec.csrfValid(mine, codec.csrfToken(mine))).toBe(true);
    expect(codec.csrfValid(mine, codec.csrfToken(theirs))).toBe(false);
    expect(codec.csrfValid(mine, undefined)).toBe(false);
  });

  it('parses a Cookie header', () => {
    expect(parseCookies('a=1; casetrail_session=x.y; a=2')).toEqual({ a: '1', casetrail_session: 'x.y' });
  });
});

describe('council styles', () => {
  it('drops the GDS Transport typeface and keeps the rest', () => {
    const css =
      '@font-face{font-family:GDS Transport;src:url(/assets/fonts/light.woff2)}.govuk-body{font-family:GDS Transport,arial,sans-serif;color:#0b0c0c}';
    expect(councilStyles(css)).toBe('.govuk-body{font-family:arial,sans-serif;color:#0b0c0c}');
  });
});

describe('CSV', () => {
  it('quotes commas and quotes, and never lets a spreadsheet run a cell as a formula', () => {
    expect(csv(['a', 'b'], [{ a: 'x, "y"', b: '=HYPERLINK("http://evil")' }])).toBe(
      'a,b\r\n"x, ""y""","\'=HYPERLINK(""http://evil"")"\r\n',
    );
  });
});
