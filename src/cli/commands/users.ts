import os from 'node:os';
import type { Command } from 'commander';
import { UserFacingError } from '#lib/server/errors.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { ROLES } from '#lib/server/auth/permissions.ts';
import { checkPassword, createUserWithPassword } from '#lib/server/auth/users.ts';
import { action } from '../run.ts';
import { withDatabase } from './database.ts';

/** Reads a line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const input = process.stdin;
		process.stderr.write(prompt);
		let value = '';
		input.setRawMode(true);
		input.resume();
		input.setEncoding('utf8');
		const done = (error?: Error) => {
			input.setRawMode(false);
			input.pause();
			input.removeListener('data', onData);
			process.stderr.write('\n');
			if (error) reject(error);
			else resolve(value);
		};
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') return done();
				if (char === '\u0003') return done(new UserFacingError('Cancelled: no account was created.'));
				if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
				else value += char;
			}
		};
		input.on('data', onData);
	});
}

/** The new account's password: SAC2050_PASSWORD, or typed twice on a terminal. */
async function newPassword(): Promise<string> {
	const fromEnv = process.env.SAC2050_PASSWORD;
	if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
	if (!process.stdin.isTTY) {
		throw new UserFacingError('No password: run this on a terminal to type one, or set SAC2050_PASSWORD in the environment.');
	}
	const first = await readHidden('Password: ');
	const problem = checkPassword(first);
	if (problem) throw new UserFacingError(problem);
	const second = await readHidden('Password again: ');
	if (first !== second) throw new UserFacingError('The two passwords differ: no account was created. Run the command again.');
	return first;
}

export function registerUserCommands(program: Command): void {
	const user = program.command('user').description('manage accounts');

	user
		.command('create')
		.description('create a verified account with a role (asks for the password on a terminal, or reads SAC2050_PASSWORD)')
		.requiredOption('--email <email>', 'the e-mail address to sign in with')
		.requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
		.option('--name <name>', 'the name shown in the back office (default: the part of the e-mail before @)')
		.action(
			action(async (opts: { email: string; role: string; name?: string }) => {
				const password = await newPassword();
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					const created = await createUserWithPassword(db, { email: opts.email, role: opts.role, password, ...(opts.name ? { name: opts.name } : {}) }, `cli:${os.userInfo().username}`);
					console.log(`Created ${created.email} (${created.role}) on ${db.location}.`);
				});
			})
		);
}
