import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * Fixed-window counters kept in the database, so every server process shares them and a
 * restart does not reset them.
 */
export interface RateLimitRule {
	/** Attempts allowed per window. */
	limit: number;
	windowSeconds: number;
}

export const RATE_LIMITS = {
	/** Wrong passwords for one account from one address (the owner's own typing mistakes too). */
	signInPerAccountAddress: { limit: 5, windowSeconds: 15 * 60 },
	/** Wrong passwords from one address, whatever the account. */
	signInPerAddress: { limit: 20, windowSeconds: 15 * 60 },
	/**
	 * Wrong passwords for one account from every address together (a guesser with many
	 * addresses). Never applied to an address the account signed in from before.
	 */
	signInPerAccount: { limit: 100, windowSeconds: 15 * 60 },
	signUpPerAddress: { limit: 5, windowSeconds: 60 * 60 },
	/** Messages sent with the contact form from one address. */
	contactPerAddress: { limit: 5, windowSeconds: 60 * 60 },
	resetPerAccount: { limit: 3, windowSeconds: 60 * 60 },
	resetPerAddress: { limit: 10, windowSeconds: 60 * 60 }
} satisfies Record<string, RateLimitRule>;

export interface RateLimitResult {
	allowed: boolean;
	/** Whole minutes until the window ends (at least 1), for the message. */
	retryAfterMinutes: number;
}

/** Counts one attempt under `key` and says whether it is within `rule`. */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, at = Date.now()): Promise<RateLimitResult> {
	const resetAt = at + rule.windowSeconds * 1000;
	const row = await db.kysely
		.insertInto('rate_limit')
		.values({ key, count: 1, reset_at: resetAt })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				count: sql<number>`case when rate_limit.reset_at <= ${at} then 1 else rate_limit.count + 1 end`,
				reset_at: sql<number>`case when rate_limit.reset_at <= ${at} then ${resetAt} else rate_limit.reset_at end`
			})
		)
		.returning(['count', 'reset_at'])
		.executeTakeFirstOrThrow();
	return {
		allowed: Number(row.count) <= rule.limit,
		retryAfterMinutes: Math.max(1, Math.ceil((Number(row.reset_at) - at) / 60_000))
	};
}

/** Forgets the attempts counted under `key` (a successful sign-in clears its account's failures). */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
	await db.kysely.deleteFrom('rate_limit').where('key', '=', key).execute();
}

/** Takes back one attempt counted under `key` (one that turned out not to count, like a successful sign-in). */
export async function refundRateLimit(db: Db, key: string): Promise<void> {
	await db.kysely.updateTable('rate_limit').set({ count: sql<number>`count - 1` }).where('key', '=', key).where('count', '>', 0).execute();
}

/** Checks several limits for one attempt; the first one exceeded decides. */
export async function checkRateLimits(db: Db, checks: Array<[key: string, rule: RateLimitRule]>): Promise<RateLimitResult> {
	let worst: RateLimitResult = { allowed: true, retryAfterMinutes: 0 };
	for (const [key, rule] of checks) {
		const result = await hitRateLimit(db, key, rule);
		if (!result.allowed && (worst.allowed || result.retryAfterMinutes > worst.retryAfterMinutes)) worst = result;
	}
	return worst;
}

/** How long an address an account signed in from stays known to it. */
const KNOWN_ADDRESS_MS = 90 * 24 * 60 * 60 * 1000;

function signInKeys(account: string, address: string) {
	return {
		pair: `sign-in:pair:${address}:${account}`,
		address: `sign-in:address:${address}`,
		account: `sign-in:account:${account}`,
		known: `sign-in:known:${address}:${account}`
	};
}

async function isKnownAddress(db: Db, key: string, at: number): Promise<boolean> {
	const row = await db.kysely.selectFrom('rate_limit').select('reset_at').where('key', '=', key).executeTakeFirst();
	return row !== undefined && Number(row.reset_at) > at;
}

export interface SignInAttempt extends RateLimitResult {
	/** Call after the password was right: the attempt is taken back and the address remembered. */
	succeeded(): Promise<void>;
}

/**
 * Counts one sign-in attempt for `account` (the e-mail address typed) from `address` (the
 * rate-limit key of the visitor's address, see http/client-address.ts) and says whether it
 * may go ahead. Only wrong passwords stay counted: `succeeded()` takes the attempt back.
 *
 * Someone guessing from other addresses can never lock the owner out of their own address:
 * the limits per account and address and per address count only what comes from that
 * address, and the limit per account (every address together) does not apply to addresses
 * the account has signed in from in the last 90 days.
 */
export async function admitSignIn(db: Db, account: string, address: string, at = Date.now()): Promise<SignInAttempt> {
	const keys = signInKeys(account, address);
	const known = await isKnownAddress(db, keys.known, at);
	const checks: Array<[string, RateLimitRule]> = [
		[keys.pair, RATE_LIMITS.signInPerAccountAddress],
		[keys.address, RATE_LIMITS.signInPerAddress]
	];
	if (!known) checks.push([keys.account, RATE_LIMITS.signInPerAccount]);
	let worst: RateLimitResult = { allowed: true, retryAfterMinutes: 0 };
	for (const [key, rule] of checks) {
		const result = await hitRateLimit(db, key, rule, at);
		if (!result.allowed && (worst.allowed || result.retryAfterMinutes > worst.retryAfterMinutes)) worst = result;
	}
	return {
		...worst,
		async succeeded() {
			await clearRateLimit(db, keys.pair);
			await refundRateLimit(db, keys.address);
			if (!known) await refundRateLimit(db, keys.account);
			const until = at + KNOWN_ADDRESS_MS;
			await db.kysely
				.insertInto('rate_limit')
				.values({ key: keys.known, count: 0, reset_at: until })
				.onConflict((oc) => oc.column('key').doUpdateSet({ reset_at: until }))
				.execute();
		}
	};
}
