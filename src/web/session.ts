import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Stateless signed session cookie: "<base64url JSON>.<HMAC-SHA256>". It carries a random
 * nonce (which the CSRF token is derived from), the signed-in user's id, if any, and an
 * expiry. For a local account nothing about the user but the id: role, teams and whether the
 * user is still active are read from the users read model on every request, so a deactivation
 * takes effect at once. A person signed in through the council's identity provider (OIDC) is
 * not in that read model: their role, teams and name are the ones the provider's ID token gave
 * at sign-in, kept in the signed cookie until it expires (as the API takes them from each token).
 */
export interface WebSession {
  /** Random per session; rotated at sign-in and sign-out. */
  nonce: string;
  userId: string | null;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /**
   * The user's session version when they signed in (users.sessionVersion). Sign-out, a new
   * password and deactivation raise the user's version, which ends every session carrying an
   * older one, in every browser, at once.
   */
  sv?: number;
  /** Signed in through OIDC: who the ID token said they are. */
  oidc?: { name: string; role: string; teamIds: string[] };
  /** An OIDC sign-in under way: what the callback must match (state, nonce) and send (PKCE verifier). */
  pending?: { state: string; nonce: string; verifier: string; next: string };
}

export const SESSION_COOKIE = 'casetrail_session';
/** A signed-in session lasts a working day; an anonymous one (for the sign-in form's CSRF token) as long. */
export const SESSION_TTL_MS = 10 * 60 * 60 * 1000;

export class SessionCodec {
  constructor(private readonly secret: Buffer) {}

  fresh(userId: string | null, now = Date.now(), extra: Pick<WebSession, 'sv' | 'oidc' | 'pending'> = {}): WebSession {
    return { nonce: randomBytes(18).toString('base64url'), userId, expiresAt: now + SESSION_TTL_MS, ...extra };
  }

  encode(session: WebSession): string {
    const body = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${body}.${this.mac(`session.${body}`)}`;
  }

  /** The session, or null when the cookie is missing, tampered with or expired. */
  decode(cookie: string | undefined, now = Date.now()): WebSession | null {
    if (!cookie) return null;
    const [body, mac] = cookie.split('.');
    if (!body || !mac || !this.same(mac, this.mac(`session.${body}`))) return null;
    try {
      const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WebSession;
      if (typeof session.nonce !== 'string' || typeof session.expiresAt !== 'number' || session.expiresAt <= now) return null;
      return {
        nonce: session.nonce,
        userId: typeof session.userId === 'string' ? session.userId : null,
        expiresAt: session.expiresAt,
        ...(typeof session.sv === 'number' ? { sv: session.sv } : {}),
        ...(session.oidc ? { oidc: session.oidc } : {}),
        ...(session.pending ? { pending: session.pending } : {}),
      };
    } catch {
      return null;
    }
  }

  /** Synchroniser token: bound to this session's nonce, so a token from another session never passes. */
  csrfToken(session: WebSession): string {
    return this.mac(`csrf.${session.nonce}`);
  }

  csrfValid(session: WebSession, token: unknown): boolean {
    return typeof token === 'string' && this.same(token, this.csrfToken(session));
  }

  private mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  private same(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }
}

/**
 * SESSION_SECRET (at least 32 characters) when set: every instance behind a load balancer must
 * share it. Otherwise a random secret kept in DATA_DIR/session-secret, created on first use.
 */
export function loadSessionSecret(dataDir: string, env: Record<string, string | undefined> = process.env): Buffer {
  const configured = env.SESSION_SECRET;
  if (configured !== undefined) {
    if (configured.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters.');
    return Buffer.from(configured, 'utf8');
  }
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

/** "a=1; b=2" -> { a: '1', b: '2' } (first value wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name && !(name in cookies)) cookies[name] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return cookies;
}
