import { isUserFacing } from '#lib/server/errors.ts';

/** Prints an error as one readable line (a stack only with SAC2050_DEBUG=1) and exits 1. */
export function fail(error: unknown): never {
	if (process.env.SAC2050_DEBUG) console.error(error);
	const message = isUserFacing(error)
		? error.message
		: `unexpected error: ${error instanceof Error ? error.message : String(error)}. Run again with SAC2050_DEBUG=1 for details.`;
	process.stderr.write(`sac2050: ${message}\n`);
	process.exit(1);
}

/** Wraps a command action so every failure ends as one line and exit code 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
	return async (...args: A) => {
		try {
			await fn(...args);
		} catch (error) {
			fail(error);
		}
	};
}
