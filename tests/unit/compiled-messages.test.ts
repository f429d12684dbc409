import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messagesNeedCompiling } from '../../src/cli/compiled-messages.ts';

describe('messagesNeedCompiling (the command-line tool compiles Paraglide when needed)', () => {
	let root: string;
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	function project(): string {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-i18n-'));
		fs.mkdirSync(path.join(root, 'messages'));
		fs.mkdirSync(path.join(root, 'project.inlang'));
		fs.writeFileSync(path.join(root, 'messages/en.json'), '{}');
		fs.writeFileSync(path.join(root, 'project.inlang/settings.json'), '{}');
		return root;
	}
	function setTime(file: string, secondsAgo: number): void {
		const t = new Date(Date.now() - secondsAgo * 1000);
		fs.utimesSync(path.join(root, file), t, t);
	}

	it('is true when nothing was compiled yet (a fresh clone)', () => {
		expect(messagesNeedCompiling(project())).toBe(true);
	});

	it('is false when the compiled messages are newer than every catalog, true when a catalog changed since', () => {
		project();
		fs.mkdirSync(path.join(root, 'src/lib/paraglide'), { recursive: true });
		fs.writeFileSync(path.join(root, 'src/lib/paraglide/messages.js'), '');
		setTime('messages/en.json', 60);
		setTime('project.inlang/settings.json', 60);
		setTime('src/lib/paraglide/messages.js', 30);
		expect(messagesNeedCompiling(root)).toBe(false);
		fs.writeFileSync(path.join(root, 'messages/es.json'), '{}');
		expect(messagesNeedCompiling(root)).toBe(true);
	});
});
