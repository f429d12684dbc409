import type { Db } from '../db/connect.ts';
import { getAuth } from './auth.ts';

export type ResetLinkState = 'valid' | 'expired' | 'used';

/** Expired reset tokens are kept this long, so an old link can still say "expired" rather than "unknown". */
const KEEP_EXPIRED_DAYS = 7;

/**
 * What a password-reset link is now: still usable, expired, or already used (better-auth
 * deletes a token when it is used; an address that never held a token reads the same).
 */
export async function resetLinkState(db: Db, token: string): Promise<ResetLinkState> {
	const context = await (await getAuth(db)).$context;
	const row = await context.internalAdapter.findVerificationValue(`reset-password:${token}`);
	if (!row) return 'used';
	return new Date(row.expiresAt).getTime() < Date.now() ? 'expired' : 'valid';
}

export async function forgetOldResetTokens(db: Db): Promise<void> {
	const cutoff = new Date(Date.now() - KEEP_EXPIRED_DAYS * 24 * 60 * 60 * 1000);
	await db.kysely
		.deleteFrom('auth_verification')
		.where('expires_at', '<', db.dialect === 'postgres' ? cutoff : cutoff.toISOString())
		.execute();
}
