import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

export const RATE_LIMIT_MESSAGE = 'Too many requests. Please wait a minute and try again.';

/** Failed sign-ins from one address before it must wait (any usernames): a password-spraying brake. */
export const SIGN_IN_FAILURES_PER_ADDRESS = 20;
/** Failed sign-ins for one account before each further attempt for it must wait. */
export const SIGN_IN_FAILURES_PER_ACCOUNT = 5;
/** The window both sign-in counts look back over. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** The first wait for an account, doubled on each further failure, never more than SIGN_IN_WINDOW_MS. */
export const ACCOUNT_FIRST_WAIT_MS = 30_000;

/** 429 with Retry-After (whole seconds): answered in plain words by HttpErrorFilter. */
export class TooManyRequests extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message = RATE_LIMIT_MESSAGE,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }

  /** Sets Retry-After on the response and returns the error to throw. */
  static on(response: Pick<Response, 'setHeader'>, retryAfterSeconds: number, message?: string): TooManyRequests {
    response.setHeader('Retry-After', String(retryAfterSeconds));
    return new TooManyRequests(retryAfterSeconds, message);
  }
}

interface Window {
  start: number;
  count: number;
}

interface AccountFailures {
  /** Failures within the last SIGN_IN_WINDOW_MS, oldest first. */
  at: number[];
  /** Waits imposed so far in this run of failures: the next wait is twice the last. */
  strikes: number;
  lockedUntil: number;
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Request counting, in this instance's memory (behind N instances the effective limits are up to
 * N times these; see docs/security.md):
 * - every request counts against who made it: the verified principal (`user:<id>`), or, before
 *   or without verification, the client address (`ip:<address>`), so a failed or made-up token
 *   counts against the address it came from and a fresh random header buys nothing;
 * - failed sign-ins count against the address and against the account; after
 *   SIGN_IN_FAILURES_PER_ACCOUNT failures in SIGN_IN_WINDOW_MS the account waits 30 s, then
 *   each further failure doubles the wait, up to SIGN_IN_WINDOW_MS. Attempts during a wait are
 *   refused without looking at the password. A successful sign-in clears the account's record.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly accounts = new Map<string, AccountFailures>();
  private calls = 0;

  constructor(
    readonly perMinute: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request against `key`; 0 when allowed, else the seconds until the window ends. */
  hit(key: string, limit = this.perMinute, windowMs = 60_000): number {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > limit ? seconds(window.start + windowMs - now) : 0;
  }

  /** Seconds a sign-in for this account from this address must wait first (0: go ahead). Counts nothing. */
  signInWait(address: string, username: string): number {
    const now = this.clock();
    const account = this.accounts.get(username);
    const accountWait = account && account.lockedUntil > now ? account.lockedUntil - now : 0;
    const window = this.windows.get(`sign-in-failures:${address}`);
    const addressWait =
      window && now - window.start < SIGN_IN_WINDOW_MS && window.count >= SIGN_IN_FAILURES_PER_ADDRESS
        ? window.start + SIGN_IN_WINDOW_MS - now
        : 0;
    const wait = Math.max(accountWait, addressWait);
    return wait > 0 ? seconds(wait) : 0;
  }

  signInFailed(address: string, username: string): void {
    const now = this.clock();
    this.hit(`sign-in-failures:${address}`, SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_MS);
    const account = this.accounts.get(username) ?? { at: [], strikes: 0, lockedUntil: 0 };
    account.at = account.at.filter((t) => now - t < SIGN_IN_WINDOW_MS);
    account.at.push(now);
    if (account.at.length >= SIGN_IN_FAILURES_PER_ACCOUNT) {
      account.strikes += 1;
      account.lockedUntil = now + Math.min(ACCOUNT_FIRST_WAIT_MS * 2 ** (account.strikes - 1), SIGN_IN_WINDOW_MS);
    } else if (account.at.length === 1) {
      account.strikes = 0;
    }
    this.accounts.set(username, account);
  }

  signInSucceeded(username: string): void {
    this.accounts.delete(username);
  }

  /** Forgets finished windows and quiet accounts now and then, so memory stays bounded. */
  private sweep(now: number): void {
    if (++this.calls % 1000 !== 0) return;
    for (const [key, window] of this.windows) if (now - window.start > SIGN_IN_WINDOW_MS) this.windows.delete(key);
    for (const [name, account] of this.accounts) {
      if (account.lockedUntil <= now && account.at.every((t) => now - t >= SIGN_IN_WINDOW_MS)) this.accounts.delete(name);
    }
  }
}
