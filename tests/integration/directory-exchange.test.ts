import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { exportDirectory } from '#lib/directory/server/export.ts';
import { importDirectory } from '#lib/directory/server/import.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';
import { runCli } from '../support/server.ts';

const FILES: Record<string, string> = {
	'organizations.csv': `id,name,kind,mission,website,email,phone,service_area,verified_at
city,City of Sacramento,public agency,"Serve residents, well",https://www.cityofsacramento.gov,info@example.org,916-555-0100,06067,2025-06-01
food-bank,Food Bank,nonprofit,"Feed; everyone",,,,06067;06113,
`,
	'programs.csv': `id,name,organization_ids,description,status,start_date,end_date,service_area,website
pantry,Pantry,food-bank;city,"Weekly ""fresh"" pantry",active,2020-01-01,,06067,
`,
	'policies.csv': `id,name,adopted_by,adopted_on,status,url,description
climate-plan,Climate Action Plan,City Council,03/26/2022,adopted,https://example.org/cap,
`,
	'funding.csv': `id,funder_id,recipient_id,program_id,title,amount,currency,fiscal_year,award_date,source_kind
f1,city,food-bank,pantry,Pantry operations,"$12,500.50",USD,2024,,local
f2,city,food-bank,,Cold storage, 3 000 ,USD,,2023-08-15,local
`,
	// 360Giving Data Standard layout, as published (column titles of the standard, day-first dates).
	'grants-360giving.csv': `Identifier,Title,Description,Currency,Amount Awarded,Award Date,Planned Dates:Start Date,Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity Number,Recipient Org:Postal Code,Funding Org:Identifier,Funding Org:Name,Grant Programme:Title,Last Modified,Data Source
360G-valley-001,Food access,"Pantry hours, north area",USD,25000,26/03/2021 00:00,01/04/2021,US-EIN-68-0000001,River Pantry,,95811,US-EIN-94-0000009,Valley Community Foundation,Food,2021-04-01T00:00:00+00:00,https://example.org/grants
360G-valley-002,Tutoring,,USD,"7,500.00",13/07/2021 00:00,,food-bank,Food Bank,,,US-EIN-94-0000009,Valley Community Foundation,Education,2021-07-14T00:00:00+00:00,https://example.org/grants
`,
	'links.csv': `subject_type,subject_id,indicator_id,direction,note
program,pantry,unemployment,decrease,Jobs at the pantry
policy,climate-plan,unemployment,decrease,
organization,US-EIN-68-0000001,unemployment,decrease,
`
};

function writeFolder(root: string, files: Record<string, string>): string {
	fs.mkdirSync(root, { recursive: true });
	for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
	return root;
}

async function snapshot(db: Db) {
	const k = db.kysely;
	const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map(({ created_at: _c, updated_at: _u, ...rest }) => rest);
	return {
		organization: strip(await k.selectFrom('organization').selectAll().orderBy('id').execute()),
		program: strip(await k.selectFrom('program').selectAll().orderBy('id').execute()),
		program_organization: await k.selectFrom('program_organization').selectAll().orderBy('program_id').orderBy('position').execute(),
		policy: strip(await k.selectFrom('policy').selectAll().orderBy('id').execute()),
		funding: strip(await k.selectFrom('funding').selectAll().orderBy('id').execute()),
		contribution_link: strip(await k.selectFrom('contribution_link').selectAll().orderBy('subject_type').orderBy('subject_id').execute())
	};
}

describe.each(DIALECTS)('directory import and export on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-directory-'));

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await db.kysely.insertInto('area').values({ id: 'jobs', position: 0, name: 'Jobs', question: '', description: '', translations: '{}' }).execute();
		await db.kysely
			.insertInto('indicator')
			.values({ id: 'unemployment', area_id: 'jobs', position: 0, name: 'Unemployment', description: '', unit: '%', direction: 'negative', source_name: '', source_url: '', translations: '{}', metadata: '{}', progress_config: '{}', graph_type: 'line', reporting_status: 'complete', is_sample: 0, current_revision_id: null, created_at: 'x', updated_at: 'x' })
			.execute();
		for (const [i, code] of ['06067', '06113'].entries()) await db.kysely.insertInto('geography').values({ code, name: code, kind: 'county', position: i, translations: '{}' }).execute();
	});
	afterAll(async () => {
		await close();
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('checks everything on a dry run and changes nothing', async () => {
		const report = await importDirectory(db, writeFolder(path.join(tmp, 'in'), FILES), { author: 'test', dryRun: true });
		expect(report.files.map((f) => [f.file, f.status, f.created])).toEqual([
			['organizations.csv', 'valid', 2],
			['programs.csv', 'valid', 1],
			['policies.csv', 'valid', 1],
			['funding.csv', 'valid', 2],
			['grants-360giving.csv', 'valid', 2],
			['links.csv', 'valid', 3]
		]);
		expect(await db.kysely.selectFrom('organization').select('id').execute()).toEqual([]);
	});

	it('imports every file, creating the organizations a 360Giving file names, with a change history', async () => {
		const report = await importDirectory(db, path.join(tmp, 'in'), { author: 'cli:test' });
		expect(report.failed).toBe(0);
		const grants = report.files.find((f) => f.file === 'grants-360giving.csv')!;
		expect([grants.format, grants.organizationsCreated, grants.dateOrder]).toEqual(['360giving', 2, 'day-first']);
		const data = await snapshot(db);
		expect(data.organization.map((o) => [o.id, o.name, o.kind])).toEqual([
			['US-EIN-68-0000001', 'River Pantry', ''],
			['US-EIN-94-0000009', 'Valley Community Foundation', 'funder'],
			['city', 'City of Sacramento', 'public_agency'],
			['food-bank', 'Food Bank', 'nonprofit']
		]);
		expect(data.funding.map((f) => [f.id, f.amount, f.fiscal_year, f.award_date])).toEqual([
			['360G-valley-001', 25000, null, '2021-03-26'],
			['360G-valley-002', 7500, null, '2021-07-13'],
			['f1', 12500.5, 2024, null],
			['f2', 3000, null, '2023-08-15']
		]);
		expect(data.policy[0]!.adopted_on).toBe('2022-03-26');
		expect(data.program_organization.map((r) => r.organization_id)).toEqual(['food-bank', 'city']);
		const history = await db.kysely.selectFrom('directory_change').selectAll().where('record_id', '=', 'f1').execute();
		expect(history.map((h) => [h.record_type, h.field, h.author, h.source])).toEqual([['funding', '', 'cli:test', 'funding.csv']]);
	});

	it('records each changed field with its old and new value, and leaves unchanged records alone', async () => {
		const changed = { ...FILES, 'funding.csv': FILES['funding.csv']!.replace('"$12,500.50"', '13000').replace('Cold storage', 'Cold room') };
		const report = await importDirectory(db, writeFolder(path.join(tmp, 'changed'), changed), { author: 'cli:editor' });
		expect(report.files.map((f) => [f.file, f.status, f.created, f.updated, f.unchanged])).toEqual([
			['organizations.csv', 'unchanged', 0, 0, 2],
			['programs.csv', 'unchanged', 0, 0, 1],
			['policies.csv', 'unchanged', 0, 0, 1],
			['funding.csv', 'imported', 0, 2, 0],
			['grants-360giving.csv', 'unchanged', 0, 0, 2],
			['links.csv', 'unchanged', 0, 0, 3]
		]);
		const history = await db.kysely.selectFrom('directory_change').select(['record_id', 'field', 'old_value', 'new_value', 'author']).where('field', '!=', '').orderBy('id').execute();
		expect(history).toEqual([
			{ record_id: 'f1', field: 'amount', old_value: '12500.5', new_value: '13000', author: 'cli:editor' },
			{ record_id: 'f2', field: 'title', old_value: 'Cold storage', new_value: 'Cold room', author: 'cli:editor' }
		]);
	});

	it('refuses unknown ids, duplicates and bad values per file, keeping the file out whole and importing the others', async () => {
		const before = await snapshot(db);
		const bad = {
			'organizations.csv': FILES['organizations.csv']! + 'new-org,New Org,nonprofit,,,,,,\n',
			'funding.csv': `id,funder_id,recipient_id,program_id,title,amount,currency,fiscal_year,award_date,source_kind
f3,city,food-bank,,Fine,100,USD,2025,,local
f4,city,nobody,,Unknown recipient,100,USD,2025,,local
`,
			'links.csv': `subject_type,subject_id,indicator_id,direction,note
program,pantry,no-such-indicator,increase,
program,pantry,no-such-indicator,increase,
`,
			'policies.csv': `id,name,adopted_by,adopted_on,status,url,description
p2,Plan,,2023-02-29,adopted,,
`
		};
		const report = await importDirectory(db, writeFolder(path.join(tmp, 'bad'), bad), { author: 'test' });
		expect(report.failed).toBe(3);
		const byFile = new Map(report.files.map((f) => [f.file, f]));
		expect(byFile.get('organizations.csv')!.status).toBe('imported');
		expect(byFile.get('funding.csv')!.errors.map((e) => [e.line, e.column, e.message])).toEqual([[3, 'recipient_id', 'Line 3, column recipient_id: there is no organization "nobody".']]);
		expect(byFile.get('links.csv')!.errors[0]!.message).toMatch(/Line 3, column subject_id: the link "program:pantry → no-such-indicator" is already on line 2/);
		expect(byFile.get('policies.csv')!.errors[0]!.message).toMatch(/Line 2, column adopted_on: "2023-02-29" is not a date that exists/);
		const after = await snapshot(db);
		expect(after.funding).toEqual(before.funding);
		expect(after.policy).toEqual(before.policy);
		expect(after.organization.map((o) => o.id)).toContain('new-org');
	});

	it('exports what it holds, and importing that export elsewhere gives identical data and identical files', async () => {
		const first = path.join(tmp, 'export-1');
		const exported = await exportDirectory(db, first);
		expect(exported.counts).toEqual({ organizations: 5, programs: 1, policies: 1, funding: 4, links: 3 });
		const other = await openTestDatabase(dialect);
		try {
			for (const table of ['area', 'indicator', 'geography'] as const) {
				const rows = await db.kysely.selectFrom(table).selectAll().execute();
				await other.db.kysely.insertInto(table).values(rows as never).execute();
			}
			const report = await importDirectory(other.db, first, { author: 'test' });
			expect(report.failed).toBe(0);
			expect(await snapshot(other.db)).toEqual(await snapshot(db));
			const second = path.join(tmp, 'export-2');
			await exportDirectory(other.db, second);
			for (const name of exported.files) expect(fs.readFileSync(path.join(second, name), 'utf8'), name).toBe(fs.readFileSync(path.join(first, name), 'utf8'));
		} finally {
			await other.close();
		}
	});
});

describe('sac2050 import directory / export directory', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-cli-directory-'));
	const env = { DATABASE_URL: `file:${dir}/sac.db` };
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('prints a summary per file, names each error with its fix, exits 1 when a file failed, and exports', async () => {
		expect((await runCli(['migrate'], env)).code).toBe(0);
		const folder = writeFolder(path.join(dir, 'in'), { ...FILES, 'links.csv': FILES['links.csv']!.replace('unemployment,decrease,Jobs', 'no-such-indicator,decrease,Jobs') });
		const dry = await runCli(['import', 'directory', folder, '--dry-run'], env);
		expect(dry.stdout).toContain(`Dry run, nothing changed: 6 files in ${folder}: 5 valid, 1 failed.`);
		const result = await runCli(['import', 'directory', folder], env);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('grants-360giving.csv (360Giving): imported: 2 new, 0 changed, 0 unchanged, 2 organizations created; dates read day-first.');
		expect(result.stderr).toContain('links.csv: FAILED, nothing changed (3 errors)');
		expect(result.stderr).toMatch(/error: links\.csv: Line 2, column indicator_id: there is no indicator "no-such-indicator"\. Use the id of an indicator/);
		expect(result.stdout).toContain(`6 files in ${folder}: 5 imported or unchanged, 1 failed.`);
		expect(result.stdout).not.toContain('['); // no progress bar when the output is not a terminal
		const exported = await runCli(['export', 'directory', path.join(dir, 'out')], env);
		expect(exported.stdout).toContain('Exported 4 organizations, 1 program, 1 policy, 4 funding records and 0 links to');
		const ambiguous = writeFolder(path.join(dir, 'ambiguous'), { 'policies.csv': 'id,name,adopted_by,adopted_on,status,url,description\np9,Plan,,01/02/2023,,,\n' });
		const refused = await runCli(['import', 'directory', ambiguous], env);
		expect(refused.stderr).toMatch(/can be read day-first or month-first.+--date-order/);
		const resolved = await runCli(['import', 'directory', ambiguous, '--date-order', 'month-first'], env);
		expect(resolved.stdout).toContain('policies.csv: imported: 1 new, 0 changed, 0 unchanged; dates read month-first.');
	}, 300_000);
});
