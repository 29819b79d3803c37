import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { AppConfig } from '../config';
import { ROLES, type Principal, type Role } from '../shared';

/** The identity provider's discovery document, as far as Casetrail needs it. */
export interface Discovery {
  issuer: string;
  jwks_uri: string;
  /** Where a browser is sent to sign in (authorization code flow); absent on API-only providers. */
  authorization_endpoint?: string;
  token_endpoint?: string;
  /** Where a browser is sent to end the provider's own session (RP-initiated logout); optional. */
  end_session_endpoint?: string;
}

/**
 * Production sign-in through the council's identity provider (OpenID Connect): a bearer JWT is
 * checked against the issuer's keys (found through /.well-known/openid-configuration), its
 * issuer, audience and expiry; the role and teams come from configurable claims, the user id from `sub`.
 */
@Injectable()
export class OidcVerifier {
  private keys: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  private discovered: Discovery | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.AUTH_OIDC_ISSUER !== undefined;
  }

  /**
   * `nonce`: for an ID token from the browser sign-in, the nonce this sign-in sent, so a token
   * issued for another sign-in (replayed or injected) is refused.
   */
  async verify(jwt: string, expected: { nonce?: string } = {}): Promise<Principal> {
    const issuer = this.config.AUTH_OIDC_ISSUER!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, await this.jwks(), {
        issuer,
        audience: this.config.AUTH_OIDC_AUDIENCE,
        clockTolerance: 30,
      }));
    } catch (error) {
      // A discovery or network failure is ours, not the caller's: let it surface as a 5xx.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) throw error;
      throw new UnauthorizedException(`This sign-in token is not valid: ${reason(error)}.`);
    }
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
      throw new UnauthorizedException('This sign-in token is not valid: it was issued for another sign-in (nonce).');
    }
    const role = payload[this.config.AUTH_OIDC_ROLE_CLAIM];
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new ForbiddenException(
        `Your sign-in does not give you a Casetrail role (claim "${this.config.AUTH_OIDC_ROLE_CLAIM}" must be one of ${ROLES.join(', ')}).`,
      );
    }
    const teams = payload[this.config.AUTH_OIDC_TEAMS_CLAIM];
    const teamIds = Array.isArray(teams) ? teams.filter((t): t is string => typeof t === 'string') : [];
    const sub = payload.sub;
    if (!sub) throw new UnauthorizedException('This sign-in token is not valid: it names no subject (sub).');
    const name = typeof payload.name === 'string' ? payload.name : sub;
    return { userId: sub.slice(0, 100), name: name.slice(0, 100), role: role as Role, teamIds, tokenId: 'oidc' };
  }

  /** Discovery once, then the key set (jose refetches it when a token names a key it does not know). */
  private jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = null; // try again on the next request
      throw error;
    });
    return this.keys;
  }

  /** The provider's discovery document (fetched once). */
  async discovery(): Promise<Discovery> {
    if (this.discovered) return this.discovered;
    const issuer = this.config.AUTH_OIDC_ISSUER!;
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
    const discovery = (await response.json()) as Discovery;
    if (discovery.issuer !== issuer) throw new Error(`OIDC discovery names issuer ${discovery.issuer}, not ${issuer}`);
    this.discovered = discovery;
    return discovery;
  }

  private async discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    return createRemoteJWKSet(new URL((await this.discovery()).jwks_uri));
  }
}

function reason(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `its "${error.claim}" claim is not accepted here`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return 'its signature does not match the identity provider’s keys';
  }
  return 'it could not be checked';
}
