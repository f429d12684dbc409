/**
 * A repository that uses what published Open SDG repositories use: column settings and
 * translations in its data configuration, custom statuses, a non-statistical indicator, a
 * metadata-only one, duplicate rows, Inf. Written by the test; imported, exported and
 * imported again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { exportOpenSdgRepository } from '#lib/indicators/server/export-opensdg.ts';
import { readCurrentObservations } from '#lib/indicators/server/store.ts';
import { readProgress } from '#lib/indicators/server/progress-store.ts';
import { listStatusTypes } from '#lib/indicators/server/repository-settings.ts';
import { getIndicator } from '#lib/indicators/server/catalog.ts';
import { getReportingStatus } from '#lib/indicators/server/reporting.ts';
import { publishDraft, readDraft, stageUpload } from '#lib/admin/upload/server/drafts.ts';
import { createUserWithPassword } from '#lib/server/auth/users.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';

const FILES: Record<string, string> = {
	'config_data.yml': [
		'languages:',
		'  - en',
		'  - fr',
		'indicator_options:',
		'  non_disaggregation_columns: [Year, Units, Series, Value, GeoCode, NOTE]',
		'  observation_attributes: [COMMENT_OBS, COMMENT_OBS_0]',
		'  series_column: Measure',
		'progress_status:',
		'  status_types:',
		'    - value: not_available_manual',
		'      label: status.not_available_manual',
		'reporting_status:',
		'  status_types:',
		'    - value: notapplicable',
		'      label: status.reporting_status_notapplicable',
		'docs_baseurl: kept-as-written',
		''
	].join('\n'),
	'translations/en/SEX.yml': 'SEX: Sex\nF: Female\nM: Male\n',
	'translations/en/status.yml': 'not_available_manual: Not available (set by hand)\nreporting_status_notapplicable: Not applicable\n',
	'translations/fr/status.yml': 'not_available_manual: Non disponible (manuel)\n',
	'translations/es/status.yml': 'reporting_status_notapplicable: No aplicable\n',
	// Translated filter value, observation-attribute and non-disaggregation columns from the configuration.
	'data/indicator_1-1-1.csv': 'Year,SEX,COMMENT_OBS_0,NOTE,Value\n2015,,,,10\n2020,,provisional,x,5\n2015,F,,,20\n2020,F,,,10\n2015,M,,,20\n2020,M,,,30\n',
	'meta/1-1-1.md': '---\nindicator_name: Translated filter\nreporting_status: complete\nauto_progress_calculation: true\nprogress_calculation_options:\n  - disaggregation:\n      - field: Sex\n        value: Female\n    direction: ""\n  - group:\n      - group:\n          - {}\n---\n',
	// Calculation off: a custom manual status as written, options with a list target not read.
	'data/indicator_1-1-2.csv': 'Year,Value\n2015,1\n2020,2\n',
	'meta/1-1-2.md': '---\nindicator_name: Manual status\nreporting_status: notapplicable\nprogress_status: not_available_manual\nprogress_calculation_options:\n  - target: [1, 2]\n---\n',
	// Non-statistical: words in the Year column.
	'data/indicator_1-1-3.csv': 'Year,Value\nThis is a non-statistical indicator,\n',
	'meta/1-1-3.md': '---\nindicator_name: Words only\nreporting_status: complete\n---\nA described indicator.\n',
	// Metadata, no data file.
	'meta/1-1-4.md': '---\nindicator_name: Metadata only\ndata_non_statistical: true\n---\n',
	// An exact duplicate and a blank repeat, dropped with warnings.
	'data/indicator_1-1-5.csv': 'Year,Value\n2015,4\n2016,3\n2015,4\n2016,\n',
	'meta/1-1-5.md': '---\nindicator_name: Repeated rows\nauto_progress_calculation: true\n---\n',
	// A non-finite value.
	'data/indicator_1-1-6.csv': 'Year,Value\n2015,1\n2020,Inf\n',
	'meta/1-1-6.md': '---\nindicator_name: Infinite\nauto_progress_calculation: true\nprogress_calculation_options:\n  - direction: positive\n---\n',
	// The series is named in the column the configuration says (series_column).
	'data/indicator_1-1-7.csv': 'Year,Measure,Value\n2015,A,10\n2020,A,5\n2015,B,1\n2020,B,2\n',
	'meta/1-1-7.md': '---\nindicator_name: Own series column\nauto_progress_calculation: true\nprogress_calculation_options:\n  - series: B\n    direction: positive\n---\n'
};

function writeRepository(files: Record<string, string>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-repo-'));
	for (const [rel, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	}
	return dir;
}

const IDS = ['1-1-1', '1-1-2', '1-1-3', '1-1-4', '1-1-5', '1-1-6', '1-1-7'];

async function state(db: Db) {
	const out: Record<string, unknown> = {};
	for (const id of IDS) {
		const observations = await readCurrentObservations(db.kysely, id);
		const progress = await readProgress(db.kysely, id);
		const indicator = await getIndicator(db, id, 'es');
		out[id] = {
			nonStatistical: indicator?.nonStatistical,
			labels: [indicator?.statusLabel, indicator?.reportingStatusLabel],
			result: progress?.series.map((s) => ({ ...s })),
			observations: observations.map((o) => ({ series: o.seriesKey, period: o.period, value: o.value, attributes: o.attributes })),
			status: progress?.status,
			score: progress?.score,
			series: progress?.series.map((s) => [s.tag, s.status, s.score])
		};
	}
	return out;
}

describe.each(DIALECTS)('an Open SDG repository with its own settings on %s', (dialect) => {
	let db: Db;
	let again: Db;
	const closers: (() => Promise<void>)[] = [];
	const dirs: string[] = [];

	beforeAll(async () => {
		const first = await openTestDatabase(dialect);
		const second = await openTestDatabase(dialect);
		db = first.db;
		again = second.db;
		closers.push(first.close, second.close);
	});
	afterAll(async () => {
		for (const close of closers) await close();
		for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
	});

	it('imports every indicator and reproduces the published statuses; export and re-import give the same data and progress', async () => {
		const dir = writeRepository(FILES);
		dirs.push(dir);
		const report = await importOpenSdgRepository(db, dir, { author: 'test' });
		expect(report.outcomes.filter((o) => o.status === 'failed').map((o) => [o.indicatorId, o.errors])).toEqual([]);
		expect(report.imported).toBe(7);
		const byId = new Map(report.outcomes.map((o) => [o.indicatorId, o]));
		expect(byId.get('1-1-3')?.nonStatistical).toBe(true);
		expect(byId.get('1-1-5')?.warnings.map((w) => w.message)).toEqual([
			'Lines 2 and 4 are the same observation (Year 2015, no other column filled in), written twice; line 4 is skipped.',
			'Lines 3 and 5 are the same observation (Year 2016, no other column filled in); line 5 has no value and is skipped.'
		]);

		const before = await state(db);
		// 1-1-1: Female 20 → 10 under a blank (negative) direction: substantial; the nested group
		// holds the headline, whose 2020 row has only an attribute and a non-disaggregation column.
		expect(before['1-1-1']).toMatchObject({
			status: 'substantial_progress',
			score: 5,
			series: [
				['Female', 'substantial_progress', 5],
				['', 'substantial_progress', 5]
			]
		});
		expect(before['1-1-2']).toMatchObject({ status: 'not_available_manual', score: null });
		expect(before['1-1-3']).toMatchObject({ observations: [] });
		expect(before['1-1-6']).toMatchObject({ status: 'substantial_progress', score: 5 });
		expect(before['1-1-7']).toMatchObject({ status: 'substantial_progress', score: 5 });
		expect(before['1-1-4']).toMatchObject({ nonStatistical: true });
		expect(before['1-1-2']).toMatchObject({ labels: ['Not available (set by hand)', 'No aplicable'] });
		const observed = (before['1-1-6'] as { observations: { value: number }[] }).observations.map((o) => o.value);
		expect(observed).toEqual([1, Infinity]);

		const statuses = await listStatusTypes(db.kysely);
		expect(statuses.map((s) => [s.kind, s.value, s.label, s.translations])).toEqual([
			['progress', 'not_available_manual', 'Not available (set by hand)', { en: 'Not available (set by hand)', fr: 'Non disponible (manuel)' }],
			['reporting', 'notapplicable', 'Not applicable', { en: 'Not applicable', es: 'No aplicable' }]
		]);

		// The page and the API read the repository's own labels and the non-statistical flag.
		const manual = await getIndicator(db, '1-1-2', 'fr');
		expect([manual?.statusLabel, manual?.reportingStatusLabel]).toEqual(['Non disponible (manuel)', 'Not applicable']);
		const words = await getIndicator(db, '1-1-3', 'en');
		expect([words?.nonStatistical, words?.observations]).toEqual([true, []]);
		expect((await getIndicator(db, '1-1-4', 'en'))?.nonStatistical).toBe(true);
		expect((await getIndicator(db, '1-1-1', 'en'))?.nonStatistical).toBe(false);

		// The reporting-status page counts the repository's own status under its own label, not as "not started".
		const reporting = await getReportingStatus(db, 'es');
		expect(reporting.ownStatuses).toEqual([{ value: 'notapplicable', label: 'No aplicable' }]);
		// Three set no status and have data: complete, derived from what is published.
		expect(reporting.totals).toMatchObject({ total: 7, complete: 5, notstarted: 1, own: { notapplicable: 1 } });
		expect(reporting.groups.flatMap((g) => g.indicators).find((i) => i.id === '1-1-2')?.reportingStatus).toBe('notapplicable');

		const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-export-'));
		dirs.push(out);
		await exportOpenSdgRepository(db, out);
		expect(fs.readFileSync(path.join(out, 'config_data.yml'), 'utf8')).toContain('COMMENT_OBS_0');
		expect(fs.readFileSync(path.join(out, 'config_data.yml'), 'utf8')).toContain('kept-as-written');
		expect(fs.readFileSync(path.join(out, 'translations/fr/status.yml'), 'utf8')).toContain('Non disponible (manuel)');
		expect(fs.readFileSync(path.join(out, 'data/indicator_1-1-6.csv'), 'utf8')).toBe('Year,Value\n2015,1\n2020,Inf\n');

		const reimport = await importOpenSdgRepository(again, out, { author: 'test' });
		expect(reimport.failed).toBe(0);
		expect(reimport.imported).toBe(7);
		expect(await state(again)).toEqual(before);
		expect(await listStatusTypes(again.kysely)).toEqual(statuses);
	});

	it('measures progress again when a re-import changes only the repository settings', async () => {
		const files = {
			'data/indicator_3-1-1.csv': 'Year,SEX,NOTE,Value\n2015,F,,20\n2020,F,,10\n2015,M,,20\n2020,M,x,30\n',
			'meta/3-1-1.md':
				'---\nindicator_name: Settings only\nauto_progress_calculation: true\nprogress_calculation_options:\n  - disaggregation:\n      - field: SEX\n        value: Female\n    direction: negative\n---\n'
		};
		const dir = writeRepository(files);
		dirs.push(dir);
		await importOpenSdgRepository(db, dir, { author: 'test' });
		// "Female" matches nothing until the repository translates F.
		expect((await readProgress(db.kysely, '3-1-1'))?.status).toBe('not_available');
		const translated = writeRepository({ ...files, 'translations/en/SEX.yml': 'F: Female\nM: Male\n' });
		dirs.push(translated);
		const report = await importOpenSdgRepository(db, translated, { author: 'test' });
		expect(report.failed).toBe(0);
		expect((await readProgress(db.kysely, '3-1-1'))?.status).toBe('substantial_progress');

		// NOTE becomes a non-disaggregation column: the same file is read again with it.
		const rows = async () => (await readCurrentObservations(db.kysely, '3-1-1')).map((o) => o.seriesKey);
		expect(await rows()).toContain('{"NOTE":"x","SEX":"M"}');
		const configured = writeRepository({
			...files,
			'translations/en/SEX.yml': 'F: Female\nM: Male\n',
			'config_data.yml': 'indicator_options:\n  observation_attributes: [NOTE]\n'
		});
		dirs.push(configured);
		await importOpenSdgRepository(db, configured, { author: 'test' });
		expect(await rows()).not.toContain('{"NOTE":"x","SEX":"M"}');
	});

	it('reads a CSV uploaded in the back office with the repository column settings', async () => {
		// The settings of the last import above: NOTE is an observation attribute.
		const user = await createUserWithPassword(db, { email: 'steward@example.org', role: 'editor', password: 'a long enough password' }, 'cli:test');
		const editor = { id: user.id, name: user.name, email: user.email, role: 'editor' as const, emailVerified: true };
		const content = Buffer.from('Year,SEX,NOTE,Value\n2015,F,,21\n2020,F,revised,11\n');
		const draftId = await stageUpload(db, editor, '3-1-1', { name: 'upload.csv', content });
		const draft = await readDraft(db, editor.id, '3-1-1', draftId);
		expect(draft?.validation.errors).toEqual([]);
		expect(draft?.validation.rows.map((r) => [r.dims, r.attributes])).toEqual([
			[{ SEX: 'F' }, {}],
			[{ SEX: 'F' }, { NOTE: 'revised' }]
		]);
		await publishDraft(db, editor, '3-1-1', draftId);
		expect((await readCurrentObservations(db.kysely, '3-1-1')).map((o) => [o.seriesKey, o.value])).toEqual([
			['{"SEX":"F"}', 21],
			['{"SEX":"F"}', 11]
		]);
	});

	it('rejects two different values for one observation unless told which to keep', async () => {
		const dir = writeRepository({ 'data/indicator_2-1-1.csv': 'Year,Value\n2015,1\n2015,2\n', 'meta/2-1-1.md': '---\nindicator_name: Conflict\n---\n' });
		dirs.push(dir);
		const refused = await importOpenSdgRepository(db, dir, { author: 'test' });
		expect(refused.failed).toBe(1);
		expect(refused.outcomes[0]?.errors[0]?.message).toContain('Lines 2 and 3 are the same observation');
		const kept = await importOpenSdgRepository(db, dir, { author: 'test', duplicates: 'keep-last' });
		expect(kept.failed).toBe(0);
		expect((await readCurrentObservations(db.kysely, '2-1-1')).map((o) => o.value)).toEqual([2]);
	});
});
