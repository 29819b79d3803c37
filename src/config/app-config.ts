import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync, ValidateIf } from 'class-validator';
import { resolve } from 'node:path';

/** A case or child reference (caseRef, childRef) by default: REFERENCE_PATTERN changes it (see src/core/dto.ts). */
export const DEFAULT_REFERENCE_PATTERN = '^[A-Za-z0-9-]{1,20}$';

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const KURRENTDB_URL = /^(kurrentdb|kdb|esdb)(\+discover)?:\/\/.+/;
const STORE_URL = new RegExp(`${POSTGRES_URL.source}|${KURRENTDB_URL.source}`);

/**
 * A whole-number setting: `fallback` when it is unset or empty, else the number given, refused with
 * `message` when it is not whole (and with class-validator's words when outside `min`..`max`).
 */
function WholeNumber(fallback: number, message: string, min: number, max?: number): PropertyDecorator {
  const decorators = [
    Transform(({ value }) => (value === undefined || value === '' ? fallback : Number(value))),
    IsInt({ message }),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  ];
  // Bottom first, as when they stood one above the other: the problems keep their order.
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

/**
 * Every setting Casetrail reads from the environment, validated once at start-up.
 * The configuration table in docs/configuration.md documents the same fields.
 */
export class AppConfig {
  /** HTTP port. */
  @WholeNumber(3000, 'PORT must be a whole number', 0, 65535)
  PORT = 3000;

  /** Where the embedded stores keep their files. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsIn(['sqlite', 'postgres', 'kurrentdb'], { message: 'EVENT_STORE must be "sqlite", "postgres" or "kurrentdb"' })
  EVENT_STORE: 'sqlite' | 'postgres' | 'kurrentdb' = 'sqlite';

  /** Required with EVENT_STORE=postgres (postgres://...) or kurrentdb (kurrentdb://... or esdb://...). */
  @ValidateIf((c: AppConfig) => c.EVENT_STORE !== 'sqlite' || c.EVENT_STORE_URL !== undefined)
  @Matches(STORE_URL, {
    message:
      'EVENT_STORE_URL must be a postgres:// URL (EVENT_STORE=postgres) or a kurrentdb:// or esdb:// connection string (EVENT_STORE=kurrentdb)',
  })
  EVENT_STORE_URL?: string;

  /** PostgreSQL for read models; when absent they live in DATA_DIR/read-models.sqlite. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'READ_DB_URL must be a postgres:// URL' })
  READ_DB_URL?: string;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], { message: 'LOG_LEVEL must be error, warn, log, debug or verbose' })
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** Shown in pages and exports: the council or partnership running this Casetrail. */
  @IsString()
  @MinLength(1)
  ORG_NAME = 'Casetrail';

  /** Lifetime of new personal access tokens, in days. */
  @WholeNumber(90, 'TOKEN_TTL_DAYS must be a whole number of days', 1, 3650)
  TOKEN_TTL_DAYS = 90;

  /** Case and child references (caseRef, childRef) must match this: the case-management system's ids. */
  @IsString()
  @MinLength(1)
  REFERENCE_PATTERN = DEFAULT_REFERENCE_PATTERN;

  /** Ed25519 private key signing trail checkpoints and exports: PEM text or a path to a PEM file. When absent, one is generated into DATA_DIR/trail-signing-key.pem on first use. */
  @IsOptional()
  @IsString()
  TRAIL_SIGNING_KEY?: string;

  /** Base64 of 32 bytes: wraps every child's data key. Required in production; in development one is generated into DATA_DIR/master.key. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'DATA_MASTER_KEY must be base64 of 32 bytes (openssl rand -base64 32)' })
  DATA_MASTER_KEY?: string;

  /**
   * PostgreSQL for the personal-data key store (schema "personal_data"). Default: EVENT_STORE_URL when
   * EVENT_STORE=postgres; otherwise (and unset) the key store is DATA_DIR/subject-keys.sqlite.
   */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'KEY_STORE_URL must be a postgres:// URL' })
  KEY_STORE_URL?: string;

  get keyStoreUrl(): string | undefined {
    return this.KEY_STORE_URL ?? (this.EVENT_STORE === 'postgres' ? this.EVENT_STORE_URL : undefined);
  }

  /** JSON retention rules by record kind, e.g. {"default":{"yearsAfterLastEvent":35}}; see docs/data-protection.md (Retention). */
  @IsOptional()
  @IsString()
  RETENTION_RULES?: string;

  /** Requests per minute allowed per personal access token (per client address without one); 429 beyond. */
  @WholeNumber(600, 'RATE_LIMIT_PER_MINUTE must be a whole number', 1)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * A scrape token for GET /metrics (`Authorization: Bearer <METRICS_TOKEN>`), so Prometheus needs no
   * administrator's token. Unset: only administrators read /metrics.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{32,512}$/, {
    message: 'METRICS_TOKEN must be 32 to 512 letters, digits or ._~+/=- (e.g. openssl rand -hex 32)',
  })
  METRICS_TOKEN?: string;
  /** /health answers 503 when the disk holding DATA_DIR has less free space than this, in megabytes. */
  @WholeNumber(500, 'HEALTH_MIN_FREE_DISK_MB must be a whole number of megabytes', 0)
  HEALTH_MIN_FREE_DISK_MB = 500;

  /** Comma-separated browser origins allowed to call the API cross-origin; empty: no CORS headers at all. */
  @IsOptional()
  @Matches(/^\s*(https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*)?$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins like https://casetrail.example.gov.uk',
  })
  CORS_ORIGINS?: string;

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }

  /** OpenID Connect issuer URL (https, or http on loopback for tests); when set, bearer JWTs from it are accepted. */
  @IsOptional()
  @Matches(/^(https:\/\/\S+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\S*)?)$/, {
    message: 'AUTH_OIDC_ISSUER must be an https:// URL (http:// only on 127.0.0.1 or localhost)',
  })
  AUTH_OIDC_ISSUER?: string;

  /** The audience (client id) Casetrail's tokens are issued for; required with AUTH_OIDC_ISSUER. */
  @ValidateIf((c: AppConfig) => c.AUTH_OIDC_ISSUER !== undefined || c.AUTH_OIDC_AUDIENCE !== undefined)
  @IsString({ message: 'AUTH_OIDC_AUDIENCE is required with AUTH_OIDC_ISSUER' })
  @MinLength(1)
  AUTH_OIDC_AUDIENCE?: string;

  /**
   * For browser sign-in through OIDC (authorization code flow with PKCE): the client secret, when
   * the provider registers Casetrail as a confidential client. Without it Casetrail signs in as a
   * public client (PKCE only).
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  AUTH_OIDC_CLIENT_SECRET?: string;

  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe, e.g. `loopback`,
   * `1` (one hop), `10.0.0.0/8`. Behind a TLS-terminating proxy it makes session cookies Secure and
   * sign-in redirects https. Unset: no proxy is trusted.
   */
  @IsOptional()
  @Matches(/^(true|\d{1,2}|[a-z0-9.:/]+(\s*,\s*[a-z0-9.:/]+)*)$/i, {
    message:
      'TRUST_PROXY must be true, a number of hops, or a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY?: string;

  get trustProxy(): boolean | number | string | undefined {
    const value = this.TRUST_PROXY?.trim();
    if (value === undefined || value === '') return undefined;
    if (value === 'true') return true;
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  /** The claim holding the user's Casetrail role. */
  @IsString()
  @MinLength(1)
  AUTH_OIDC_ROLE_CLAIM = 'casetrail_role';

  /** The claim holding the user's team ids (a list). */
  @IsString()
  @MinLength(1)
  AUTH_OIDC_TEAMS_CLAIM = 'casetrail_teams';

  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const KEYS = [
  'PORT',
  'DATA_DIR',
  'EVENT_STORE',
  'EVENT_STORE_URL',
  'READ_DB_URL',
  'LOG_LEVEL',
  'ORG_NAME',
  'TOKEN_TTL_DAYS',
  'REFERENCE_PATTERN',
  'TRAIL_SIGNING_KEY',
  'AUTH_OIDC_ISSUER',
  'AUTH_OIDC_AUDIENCE',
  'AUTH_OIDC_ROLE_CLAIM',
  'AUTH_OIDC_TEAMS_CLAIM',
  'AUTH_OIDC_CLIENT_SECRET',
  'TRUST_PROXY',
  'DATA_MASTER_KEY',
  'RETENTION_RULES',
  'KEY_STORE_URL',
  'RATE_LIMIT_PER_MINUTE',
  'HEALTH_MIN_FREE_DISK_MB',
  'CORS_ORIGINS',
  'METRICS_TOKEN',
];

/** Reads and validates configuration; throws ConfigError listing every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of KEYS) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key]!;
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const problems = validateSync(config).flatMap((e) => Object.values(e.constraints ?? {}));
  try {
    new RegExp(config.REFERENCE_PATTERN);
  } catch {
    problems.push('REFERENCE_PATTERN must be a valid regular expression');
  }
  // The URL's scheme must fit the store it is for.
  const url = config.EVENT_STORE_URL;
  if (url && config.EVENT_STORE === 'kurrentdb' && !KURRENTDB_URL.test(url)) {
    problems.push('EVENT_STORE_URL must be a kurrentdb:// or esdb:// connection string when EVENT_STORE=kurrentdb');
  }
  if (url && config.EVENT_STORE === 'postgres' && !POSTGRES_URL.test(url)) {
    problems.push('EVENT_STORE_URL must be a postgres:// URL when EVENT_STORE=postgres');
  }
  if (problems.length) {
    throw new ConfigError(`Casetrail cannot start: bad configuration.\n- ${problems.join('\n- ')}`);
  }
  return config;
}
