import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/databases.ts';

/**
 * A real full disk: a 12 MiB tmpfs in a mount namespace of its own (`unshare -m` as root,
 * `unshare -rm` otherwise), so nothing is mounted on the machine itself. Where neither is
 * allowed (a container without the privilege), the test says so and is skipped.
 */
function inSmallDisk(script: string): { ran: boolean; output: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-full-'));
	const asRoot = process.getuid?.() === 0;
	const command = `mount -t tmpfs -o size=12m tmpfs '${dir}' && exec '${process.execPath}' '${script}' '${dir}'`;
	const result = spawnSync('unshare', [asRoot ? '-m' : '-rm', 'sh', '-c', command], { cwd: PROJECT_DIR, encoding: 'utf8', timeout: 120_000 });
	fs.rmSync(dir, { recursive: true, force: true });
	return { ran: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const probe = spawnSync('unshare', [process.getuid?.() === 0 ? '-m' : '-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs /mnt'], { encoding: 'utf8' });
const canMount = probe.status === 0;

describe('publishing when the disk is full (SQLite on a full tmpfs)', () => {
	it.skipIf(!canMount)('fails saying the disk is full, not "cannot rollback", and leaves the data as it was', () => {
		const { ran, output } = inSmallDisk(path.join(PROJECT_DIR, 'tests/support/disk-full-publish.ts'));
		expect(ran, output).toBe(true);
		const line = output.trim().split('\n').at(-1)!;
		const result = JSON.parse(line) as { failed: boolean; message: string; diskFull: boolean; logLine: string; unchanged: boolean; publishedLater: boolean };
		expect(result.failed).toBe(true);
		expect(result.message).not.toMatch(/cannot rollback/);
		expect(result.diskFull).toBe(true);
		expect(result.logLine).toMatch(/the disk is full/);
		expect(result.unchanged).toBe(true);
		expect(result.publishedLater).toBe(true);
	});
});
