import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../support/databases.ts';
import { runCli } from '../support/server.ts';

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets/open-sdg-la-sample');

describe('sac2050 data commands', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-cli-data-'));
	const env = { DATABASE_URL: `file:${dir}/sac.db` };

	beforeAll(async () => {
		const seeded = await runCli(['seed'], env);
		expect(seeded.code, seeded.stderr).toBe(0);
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('validates a repository on --dry-run and changes nothing', async () => {
		const result = await runCli(['import', 'opensdg', LA_SAMPLE, '--dry-run'], env);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('Dry run, nothing changed: 14 indicators');
		expect(result.stdout).toContain('14 valid, 0 with errors; 1,361 observations checked.');
		const progress = JSON.parse((await runCli(['progress', '--json', '--indicator', '1-2-1'], env)).stdout);
		expect(progress).toEqual([]);
	});

	it('imports a repository and prints a summary', async () => {
		const result = await runCli(['import', 'opensdg', LA_SAMPLE], env);
		expect(result.code, result.stderr).toBe(0);
		const lines = result.stdout.trim().split('\n');
		// Every LA indicator lands in an area through the region pack's goal mapping; none is left over.
		expect(lines[0]).toMatch(/^Placed in an area: .*economy \(1-2-1, .*8-5-1.*public-safety \(16-1-1, 16-7-2\)\.$/);
		expect(result.stdout).not.toContain('In no area yet');
		expect(lines.at(-1)).toBe(`14 indicators in ${LA_SAMPLE}: 14 imported, 0 unchanged, 0 failed; 1,361 observations.`);
	});

	it('names file, line, column and the fix for a broken file, imports the rest, and exits non-zero', async () => {
		const repo = path.join(dir, 'broken');
		fs.cpSync(LA_SAMPLE, repo, { recursive: true });
		fs.writeFileSync(path.join(repo, 'data/indicator_6-1-1.csv'), 'Year,Value\n2015,12\n2016,twelve\n2017,13\n');
		const result = await runCli(['import', 'opensdg', repo], env);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('6-1-1: FAILED, nothing changed (1 error)');
		expect(result.stderr).toMatch(/error: data\/indicator_6-1-1\.csv: Line 3, column Value: "twelve" is not a number\. .+/);
		expect(result.stdout).toContain('0 imported, 13 unchanged, 1 failed');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it('prints progress as JSON: one object per indicator with its series components', async () => {
		const result = await runCli(['progress', '--json'], env);
		expect(result.code, result.stderr).toBe(0);
		const progress = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
		expect(progress).toHaveLength(64);
		for (const p of progress) expect(Object.keys(p)).toEqual(expect.arrayContaining(['id', 'status', 'score', 'label', 'series']));
		const unemployment = progress.find((p) => p.id === 'unemployment')!;
		const [series] = unemployment.series as Array<Record<string, unknown>>;
		expect(Object.keys(series!)).toEqual(
			expect.arrayContaining(['base_year', 'base_value', 'current_year', 'current_value', 'target', 'target_year', 'direction', 'limit', 'progress_value', 'score', 'status', 'projection_2050'])
		);
		expect(series!.target_year).toBe(2050);
		expect(unemployment.label).toMatch(/improving|steady|worsening/);
	});

	it('imports a CSV, lists revisions with their diff, and rolls back', async () => {
		const v1 = path.join(dir, 'v1.csv');
		const v2 = path.join(dir, 'v2.csv');
		fs.writeFileSync(v1, 'Period,Value\n2015,10\n2016,11\n');
		fs.writeFileSync(v2, 'Period,Value\n2016,12\n2017,13\n');
		expect((await runCli(['import', 'csv', v1, '--indicator', 'poverty'], env)).stdout).toContain('poverty: revision 1 published from v1.csv: 2 observations (2 added, 0 removed, 0 changed).');
		expect((await runCli(['import', 'csv', v2, '--indicator', 'poverty'], env)).stdout).toContain('revision 2 published from v2.csv: 2 observations (1 added, 1 removed, 1 changed).');
		const revisions = await runCli(['revisions', 'poverty'], env);
		expect(revisions.stdout).toMatch(/\*2 .* import .*\s2\s+1\s+1\s+1\s+cli:.* \/ v2\.csv/);
		expect(revisions.stdout).toMatch(/ 1 .* import .*\s2\s+2\s+0\s+0\s+cli:.* \/ v1\.csv/);
		const rollback = await runCli(['rollback', 'poverty', '1'], env);
		expect(rollback.stdout).toContain('poverty: revision 3 restores the data of revision 1 (2 observations).');
		const missing = await runCli(['rollback', 'poverty', '9'], env);
		expect(missing.code).toBe(1);
		expect(missing.stderr.trim()).toBe('sac2050: poverty has no revision 9: see "sac2050 revisions poverty".');
	});

	it('refuses a bad CSV and an unknown indicator with one line each', async () => {
		const bad = path.join(dir, 'bad.csv');
		fs.writeFileSync(bad, 'Year,Value\n2015,10%\n');
		const result = await runCli(['import', 'csv', bad, '--indicator', 'poverty'], env);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('error: bad.csv: Line 2, column Value: "10%" is not a number. Write the number without the % sign');
		const good = path.join(dir, 'good.csv');
		fs.writeFileSync(good, 'Year,Value\n2015,10\n');
		const unknown = await runCli(['import', 'csv', good, '--indicator', 'no-such'], env);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr.trim()).toMatch(/^sac2050: There is no indicator "no-such"/);
	});

	it('refuses an unknown --duplicates choice, naming the allowed ones, and keeps the last line when asked', async () => {
		const twice = path.join(dir, 'twice.csv');
		fs.writeFileSync(twice, 'Year,Value\n2015,10\n2015,12\n');
		for (const command of [
			['import', 'csv', twice, '--indicator', 'poverty', '--duplicates', 'keep-latest'],
			['import', 'opensdg', LA_SAMPLE, '--dry-run', '--duplicates', 'keep-latest']
		]) {
			const refused = await runCli(command, env);
			expect(refused.code).toBe(1);
			expect(refused.stderr.trim()).toBe('sac2050: --duplicates keep-latest is not a choice: use error, keep-first, keep-last.');
		}
		const kept = await runCli(['import', 'csv', twice, '--indicator', 'poverty', '--duplicates', 'keep-last'], env);
		expect(kept.code, kept.stderr).toBe(0);
		expect(kept.stderr).toContain('line 3 is kept, line 2 is skipped, as asked.');
		expect(kept.stdout).toContain('1 observations');
	});

	it('exports an Open SDG repository', async () => {
		const out = path.join(dir, 'export');
		const result = await runCli(['export', 'opensdg', out], env);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^Exported 64 indicators/);
		expect(fs.existsSync(path.join(out, 'data/indicator_1-2-1.csv'))).toBe(true);
		expect(fs.readFileSync(path.join(out, 'meta/unemployment.md'), 'utf8')).toContain('data_notice: Illustrative sample data, not official statistics.');
	});
});
