import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');

/** The inputs of the Paraglide compilation: the catalogs and the inlang project settings. */
function inputs(root: string): string[] {
	const dir = path.join(root, 'messages');
	const catalogs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f)) : [];
	return [...catalogs, path.join(root, 'project.inlang/settings.json')];
}

/** True when src/lib/paraglide is missing or older than a catalog (e.g. after a pull). */
export function messagesNeedCompiling(root = PROJECT_DIR): boolean {
	const compiled = fs.statSync(path.join(root, 'src/lib/paraglide/messages.js'), { throwIfNoEntry: false });
	if (!compiled) return true;
	return inputs(root).some((file) => (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > compiled.mtimeMs);
}

/**
 * Compiles the interface text (`npm run i18n`) when it is missing or stale, so that every
 * command works on a fresh clone before any build. `npm install` compiles it too (the
 * `prepare` script); this covers `--ignore-scripts`, a clean checkout and pulled catalogs.
 */
export function ensureCompiledMessages(root = PROJECT_DIR): void {
	if (!messagesNeedCompiling(root)) return;
	process.stderr.write('sac2050: compiling the interface text (messages/*.json, npm run i18n)…\n');
	const npmCli = process.env.npm_execpath;
	const [command, args] = npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, 'run', '--silent', 'i18n']] : ['npm', ['run', '--silent', 'i18n']];
	const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
	const compiled = path.join(root, 'src/lib/paraglide/messages.js');
	if (result.status !== 0 || !fs.existsSync(compiled)) {
		const why = result.error ? `: ${result.error.message}` : '';
		process.stderr.write(`sac2050: the interface text could not be compiled${why}. Run \`npm install\`, then \`npm run i18n\` and read its output.\n`);
		process.exit(1);
	}
	// Paraglide rewrites only what changed; mark the compilation as current.
	const now = new Date();
	fs.utimesSync(compiled, now, now);
}
