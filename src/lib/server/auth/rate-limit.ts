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
	signInPerAccount: { limit: 5, windowSeconds: 15 * 60 },
	signInPerAddress: { limit: 20, windowSeconds: 15 * 60 },
	signUpPerAddress: { limit: 5, windowSeconds: 60 * 60 },
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

/** Checks several limits for one attempt; the first one exceeded decides. */
export async function checkRateLimits(db: Db, checks: Array<[key: string, rule: RateLimitRule]>): Promise<RateLimitResult> {
	let worst: RateLimitResult = { allowed: true, retryAfterMinutes: 0 };
	for (const [key, rule] of checks) {
		const result = await hitRateLimit(db, key, rule);
		if (!result.allowed && (worst.allowed || result.retryAfterMinutes > worst.retryAfterMinutes)) worst = result;
	}
	return worst;
}
