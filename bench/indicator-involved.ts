/**
 * An indicator page that many are involved in: a directory where 200 programs (run by 100
 * organizations) are linked to `unemployment` and 10,000 funding records reach it, imported
 * into a fresh database with the region's sample data. Then the page is measured twice, by
 * the scripts that measure every page: `indicator-render.ts` (full uncached renders, one at
 * a time) and `pages.ts` (cached, 50 connections, against the static server).
 *
 * Goals (issue): uncached render under 50 ms; cached at least half the static server's req/s.
 *
 *   npm run build && node bench/indicator-involved.ts [--programs 200] [--funding 10000]
 *                                                     [--requests 200] [--duration 10] [--json]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FILE_NAMES, serializeDirectoryFile } from '#lib/directory/exchange.ts';
import { SOURCE_KINDS, type ContributionLink, type Funding, type Organization, type Program } from '#lib/directory/model.ts';
import { prng } from './generate-repository.ts';
import { intOption, machineFacts, reporter, run, saveResult, table, tempDir } from './support.ts';

const PAGE = '/indicators/unemployment';
const UNCACHED_GOAL_MS = 50;
const CACHED_GOAL_RATIO = 0.5;

function writeDirectory(dir: string, programs: number, fundingRecords: number, seed: number): void {
	const next = prng(seed);
	const organizationCount = Math.max(1, Math.round(programs / 2));
	const organizations: Organization[] = Array.from({ length: organizationCount }, (_, i) => ({
		id: `bench-org-${i}`,
		name: `Benchmark organization ${i}`,
		kind: 'nonprofit',
		mission: 'Helps people into work.',
		website: '',
		email: '',
		phone: '',
		serviceArea: ['06067'],
		verifiedAt: next() < 0.5 ? '2026-06-01' : '2024-01-15',
		isSample: false
	}));
	const programList: Program[] = Array.from({ length: programs }, (_, i) => ({
		id: `bench-program-${i}`,
		name: `Benchmark jobs program ${i}`,
		organizationIds: [`bench-org-${i % organizationCount}`],
		description: '',
		status: 'active',
		startDate: null,
		endDate: null,
		serviceArea: [],
		website: '',
		isSample: false
	}));
	const funding: Funding[] = Array.from({ length: fundingRecords }, (_, i) => ({
		id: `bench-grant-${i}`,
		funderId: `bench-org-${Math.floor(next() * organizationCount)}`,
		recipientId: `bench-org-${Math.floor(next() * organizationCount)}`,
		programId: next() < 0.9 ? `bench-program-${Math.floor(next() * programs)}` : null,
		title: `Grant ${i}`,
		amount: Math.round(next() * 10_000_000) / 100,
		currency: 'USD',
		fiscalYear: 2010 + Math.floor(next() * 15),
		awardDate: null,
		sourceKind: SOURCE_KINDS[Math.floor(next() * SOURCE_KINDS.length)]!,
		isSample: false
	}));
	const links: ContributionLink[] = [
		...programList.map((p) => ({ subjectType: 'program' as const, subjectId: p.id, indicatorId: 'unemployment', direction: 'decrease', note: '', isSample: false })),
		...organizations.map((o) => ({ subjectType: 'organization' as const, subjectId: o.id, indicatorId: 'unemployment', direction: 'decrease', note: '', isSample: false }))
	];
	fs.writeFileSync(path.join(dir, FILE_NAMES.organizations), serializeDirectoryFile('organizations', organizations));
	fs.writeFileSync(path.join(dir, FILE_NAMES.programs), serializeDirectoryFile('programs', programList));
	fs.writeFileSync(path.join(dir, FILE_NAMES.funding), serializeDirectoryFile('funding', funding));
	fs.writeFileSync(path.join(dir, FILE_NAMES.links), serializeDirectoryFile('links', links));
}

/** Runs another benchmark script with --json and returns its result. */
function benchmark(script: string, args: string[]): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(import.meta.dirname, script), ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
		let stdout = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
			try {
				resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
			} catch (error) {
				reject(new Error(`${script} printed no JSON result: ${String(error)}`));
			}
		});
	});
}

run(async () => {
	const { values } = parseArgs({
		options: {
			programs: { type: 'string' },
			funding: { type: 'string' },
			requests: { type: 'string' },
			duration: { type: 'string' },
			seed: { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const programs = intOption(values.programs, 'programs', 200);
	const fundingRecords = intOption(values.funding, 'funding', 10_000);
	const out = reporter(values.json);
	const dir = tempDir('involved');
	try {
		writeDirectory(dir, programs, fundingRecords, intOption(values.seed, 'seed', 2050));
		out.log(`A directory of ${programs} programs and ${fundingRecords} funding records linked to ${PAGE} in ${dir}.`);
		const render = await benchmark('indicator-render.ts', ['--pages', PAGE, '--directory', dir, '--requests', String(intOption(values.requests, 'requests', 200))]);
		const cached = await benchmark('pages.ts', ['--pages', PAGE, '--directory', dir, '--duration', String(intOption(values.duration, 'duration', 10))]);
		const uncached = (render.pages as Record<string, { p50: number; p95: number; p99: number }>)[PAGE]!;
		const page = (cached.pages as Array<{ path: string; rps: number; static_rps: number; ratio_to_static: number; p99_ms: number }>).find((p) => p.path === PAGE)!;
		const goals = {
			uncached_p50_under_50_ms: uncached.p50 < UNCACHED_GOAL_MS,
			cached_at_least_half_of_static: page.ratio_to_static >= CACHED_GOAL_RATIO
		};
		out.log(
			table(
				['measure', 'value', 'goal'],
				[
					['uncached render p50 / p95 / p99 (ms)', `${uncached.p50} / ${uncached.p95} / ${uncached.p99}`, goals.uncached_p50_under_50_ms ? 'met (< 50 ms)' : 'MISSED (< 50 ms)'],
					['cached req/s vs static', `${Math.round(page.rps)} / ${Math.round(page.static_rps)} (${Math.round(page.ratio_to_static * 100)}%)`, goals.cached_at_least_half_of_static ? 'met (≥ 50%)' : 'MISSED (≥ 50%)'],
					['cached p99 (ms)', String(page.p99_ms), '']
				]
			)
		);
		const result = { name: 'indicator-involved', date: new Date().toISOString(), machine: machineFacts(), programs, funding: fundingRecords, uncached, cached: page, goals };
		out.log(`\nSaved ${saveResult('indicator-involved', result)}`);
		out.result(result);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
