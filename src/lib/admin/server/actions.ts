import { error } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { ForbiddenError } from '#lib/server/audit/log.ts';
import { UserFacingError } from '#lib/server/errors.ts';

/**
 * Runs a back office write for a form action. A refused permission answers 403 (nothing
 * changed); a problem the person can fix comes back as the form's message; anything else
 * is a server error.
 */
export async function writeFailure(write: () => Promise<unknown>): Promise<{ status: number; message: string } | undefined> {
	try {
		await write();
		return undefined;
	} catch (caught) {
		if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
		if (caught instanceof UserFacingError) return { status: 409, message: caught.message };
		throw caught;
	}
}
