import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { AppConfig } from '../config/app-config';
import { ROLES, type Principal, type Role } from './principal';

/** The identity provider's discovery document, as far as Casetrail needs it. */
interface Discovery {
  issuer: string;
  jwks_uri: string;
}

/**
 * Production sign-in through the council's identity provider (OpenID Connect): a bearer JWT is
 * checked against the issuer's keys (found through /.well-known/openid-configuration), its
 * issuer, audience and expiry; the role and teams come from configurable claims, the user id from `sub`.
 */
@Injectable()
export class OidcVerifier {
  private keys: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.AUTH_OIDC_ISSUER !== undefined;
  }

  async verify(jwt: string): Promise<Principal> {
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

  private async discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const issuer = this.config.AUTH_OIDC_ISSUER!;
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
    const discovery = (await response.json()) as Discovery;
    if (discovery.issuer !== issuer) throw new Error(`OIDC discovery names issuer ${discovery.issuer}, not ${issuer}`);
    return createRemoteJWKSet(new URL(discovery.jwks_uri));
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
