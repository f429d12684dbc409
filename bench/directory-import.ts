/**
 * Directory import throughput: generates a directory in the exchange format (default 20,000
 * organizations, 50,000 programs, 500,000 funding records, 20,000 contribution links, 500
 * policies) in a temporary folder, written with the format's own serializer, and times
 * `importDirectory` into a fresh, migrated database of each dialect, then the same import
 * again (nothing changed, so nothing is written).
 *
 * Goal (issue): the whole first import under 10 s on SQLite.
 *
 *   node bench/directory-import.ts [--organizations 20000] [--programs 50000] [--funding 500000]
 *                                  [--dialect sqlite|postgres|both] [--seed 2050] [--json]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { importDirectory, type DirectoryImportReport } from '#lib/directory/server/import.ts';
import { FILE_NAMES, serializeDirectoryFile } from '#lib/directory/exchange.ts';
import { ORGANIZATION_KINDS, SOURCE_KINDS, type ContributionLink, type Funding, type Organization, type Policy, type Program } from '#lib/directory/model.ts';
import { createTestDatabase, type TestDialect } from '../tests/support/databases.ts';
import { prng } from './generate-repository.ts';
import { formatBytes, intOption, machineFacts, reporter, round, run, saveResult, since, table, tempDir } from './support.ts';

const GOAL_MS = 10_000;
const INDICATORS = ['unemployment', 'high-school-graduation', 'air-quality-pm25', 'health-insurance', 'violent-crime', 'traffic-fatalities'];
const COUNTIES = ['06017', '06061', '06067', '06101', '06113', '06115'];

interface Sizes {
	organizations: number;
	programs: number;
	funding: number;
	policies: number;
	links: number;
}

/** Writes the five exchange files into `dir`; returns their total size in bytes. */
export function generateDirectory(dir: string, sizes: Sizes, seed: number): number {
	const next = prng(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const organizations: Organization[] = Array.from({ length: sizes.organizations }, (_, i) => ({
		id: `org-${i}`,
		name: `Generated organization ${i}`,
		kind: pick(ORGANIZATION_KINDS),
		mission: `Works on ${pick(INDICATORS).replaceAll('-', ' ')} in the region.`,
		website: `https://org-${i}.example.org`,
		email: `info@org-${i}.example.org`,
		phone: '',
		serviceArea: [pick(COUNTIES)],
		verifiedAt: `202${Math.floor(next() * 6)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
		isSample: false
	}));
	const programs: Program[] = Array.from({ length: sizes.programs }, (_, i) => ({
		id: `program-${i}`,
		name: `Generated program ${i}`,
		organizationIds: next() < 0.2 ? [`org-${i % sizes.organizations}`, `org-${(i * 7 + 1) % sizes.organizations}`] : [`org-${i % sizes.organizations}`],
		description: 'A generated program for the benchmark.',
		status: 'active',
		startDate: `20${10 + Math.floor(next() * 14)}-07-01`,
		endDate: null,
		serviceArea: [pick(COUNTIES)],
		website: '',
		isSample: false
	}));
	const policies: Policy[] = Array.from({ length: sizes.policies }, (_, i) => ({
		id: `policy-${i}`,
		name: `Generated policy ${i}`,
		adoptedBy: 'Generated council',
		adoptedOn: '2020-01-15',
		status: 'adopted',
		url: '',
		description: '',
		isSample: false
	}));
	const funding: Funding[] = Array.from({ length: sizes.funding }, (_, i) => {
		const withProgram = next() < 0.8;
		return {
			id: `grant-${i}`,
			funderId: `org-${Math.floor(next() * sizes.organizations)}`,
			recipientId: `org-${Math.floor(next() * sizes.organizations)}`,
			programId: withProgram ? `program-${Math.floor(next() * sizes.programs)}` : null,
			title: `Grant ${i}`,
			amount: Math.round(next() * 50_000_000) / 100,
			currency: next() < 0.98 ? 'USD' : 'EUR',
			fiscalYear: next() < 0.7 ? 2015 + Math.floor(next() * 10) : null,
			awardDate: `20${15 + Math.floor(next() * 10)}-0${1 + Math.floor(next() * 9)}-15`,
			sourceKind: pick(SOURCE_KINDS),
			isSample: false
		};
	});
	const links: ContributionLink[] = [];
	const seen = new Set<string>();
	while (links.length < sizes.links) {
		const program = next() < 0.9;
		const subjectId = program ? `program-${Math.floor(next() * sizes.programs)}` : `org-${Math.floor(next() * sizes.organizations)}`;
		const indicatorId = pick(INDICATORS);
		const key = `${subjectId}|${indicatorId}`;
		if (seen.has(key)) continue;
		seen.add(key);
		links.push({ subjectType: program ? 'program' : 'organization', subjectId, indicatorId, direction: next() < 0.5 ? 'increase' : 'decrease', note: '', isSample: false });
	}
	const files: Array<[string, string]> = [
		[FILE_NAMES.organizations, serializeDirectoryFile('organizations', organizations)],
		[FILE_NAMES.programs, serializeDirectoryFile('programs', programs)],
		[FILE_NAMES.policies, serializeDirectoryFile('policies', policies)],
		[FILE_NAMES.funding, serializeDirectoryFile('funding', funding)],
		[FILE_NAMES.links, serializeDirectoryFile('links', links)]
	];
	let bytes = 0;
	for (const [name, text] of files) {
		fs.writeFileSync(path.join(dir, name), text);
		bytes += Buffer.byteLength(text);
	}
	return bytes;
}

function check(report: DirectoryImportReport, what: string): void {
	if (report.failed === 0) return;
	const failed = report.files.find((f) => f.errors.length > 0);
	const first = failed?.errors[0];
	throw new Error(`${what}: ${report.failed} file(s) failed.${first ? ` First error (${first.file}, line ${first.line}): ${first.message}` : ''}`);
}

interface DialectResult {
	dialect: TestDialect;
	importMs: number;
	recordsPerSecond: number;
	reimportMs: number;
	meetsGoal: boolean | null;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			organizations: { type: 'string' },
			programs: { type: 'string' },
			funding: { type: 'string' },
			dialect: { type: 'string', default: 'both' },
			seed: { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const sizes: Sizes = {
		organizations: intOption(values.organizations, 'organizations', 20_000),
		programs: intOption(values.programs, 'programs', 50_000),
		funding: intOption(values.funding, 'funding', 500_000),
		policies: 500,
		links: 20_000
	};
	const seed = intOption(values.seed, 'seed', 2050);
	const dialects: TestDialect[] = values.dialect === 'both' ? ['sqlite', 'postgres'] : values.dialect === 'sqlite' || values.dialect === 'postgres' ? [values.dialect] : [];
	if (dialects.length === 0) throw new Error('--dialect must be sqlite, postgres or both.');
	const out = reporter(values.json);
	const records = sizes.organizations + sizes.programs + sizes.funding + sizes.policies + sizes.links;

	const dir = tempDir('directory-import');
	const results: DialectResult[] = [];
	try {
		const start = performance.now();
		const bytes = generateDirectory(dir, sizes, seed);
		out.log(
			`Generated ${sizes.organizations.toLocaleString('en-US')} organizations, ${sizes.programs.toLocaleString('en-US')} programs, ` +
				`${sizes.funding.toLocaleString('en-US')} funding records, ${sizes.links.toLocaleString('en-US')} links, ${sizes.policies} policies ` +
				`(${formatBytes(bytes)}) in ${(since(start) / 1000).toFixed(2)} s`
		);
		for (const dialect of dialects) {
			const test = await createTestDatabase(dialect);
			let db: Db | undefined;
			try {
				db = await openDatabase(test.url);
				await migrateToLatest(db);
				// The links name indicators: the generated ones exist as catalog entries.
				const at = new Date().toISOString();
				for (const [position, id] of INDICATORS.entries()) {
					await db.kysely
						.insertInto('indicator')
						.values({ id, name: id, position, created_at: at, updated_at: at } as never)
						.execute();
				}
				const first = performance.now();
				const report = await importDirectory(db, dir, { author: 'bench', onProgress: (file, done, total) => out.status(`${dialect}: ${file} ${done}/${total}`) });
				const importMs = since(first);
				out.clearStatus();
				check(report, `${dialect} import`);
				const again = performance.now();
				const second = await importDirectory(db, dir, { author: 'bench' });
				const reimportMs = since(again);
				check(second, `${dialect} re-import`);
				if (second.files.some((f) => f.status !== 'unchanged')) throw new Error(`${dialect}: the re-import changed something.`);
				results.push({
					dialect,
					importMs: round(importMs, 0),
					recordsPerSecond: Math.round((records / importMs) * 1000),
					reimportMs: round(reimportMs, 0),
					meetsGoal: dialect === 'sqlite' ? importMs < GOAL_MS : null
				});
				out.log(`${dialect}: import ${(importMs / 1000).toFixed(2)} s, re-import (unchanged) ${(reimportMs / 1000).toFixed(2)} s`);
			} finally {
				await db?.close();
				await test.drop();
			}
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const result = { benchmark: 'directory-import', date: new Date().toISOString(), machine: machineFacts(), sizes, records, goal: { sqlite_import_ms_below: GOAL_MS }, results };
	out.log(
		table(
			['dialect', 'import (s)', 'records/s', 're-import (s)', 'goal < 10 s'],
			results.map((r) => [r.dialect, (r.importMs / 1000).toFixed(2), r.recordsPerSecond.toLocaleString('en-US'), (r.reimportMs / 1000).toFixed(2), r.meetsGoal === null ? '' : r.meetsGoal ? 'met' : 'NOT met'])
		)
	);
	out.log(`Saved ${saveResult('directory-import', result)}`);
	out.result(result);
}

run(main);
