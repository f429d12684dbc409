/**
 * An error whose message is written for the person running Sac2050: what went wrong and
 * what to do. The CLI and the server print it as one line, without a stack trace.
 */
export class UserFacingError extends Error {
	override name = 'UserFacingError';
}

export function isUserFacing(error: unknown): error is UserFacingError {
	return error instanceof UserFacingError;
}
