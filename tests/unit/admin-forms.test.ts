import { describe, expect, it } from 'vitest';
import { assignedQuery, readAreaForm, readAssigned, readAssignForm, readIndicatorForm, readRoleForm, readSettingsForm, settingsFieldName } from '#lib/admin/forms.ts';
import { adminGroupsFor, listQuery, pageCount, pageNumber } from '#lib/admin/nav.ts';
import { breadcrumbs } from '#lib/admin/breadcrumbs.ts';
import { assignProblemTexts } from '#lib/admin/ui/problems.ts';
import { progressConfigFromForm, progressFormValues } from '#lib/admin/progress-config.ts';
import { auditChanges, prettyJson } from '#lib/admin/diff.ts';
import { ROLES, type Role } from '#lib/server/auth/permissions.ts';

const validIndicator = {
	name: 'Unemployment',
	description: 'Share of the labour force without work.',
	area: 'economy',
	unit: 'percent',
	direction: 'negative',
	sourceName: 'Census ACS',
	sourceUrl: 'https://data.census.gov/',
	progress: 'auto',
	baseYear: '',
	limit: '',
	targetValue: '4.5',
	targetYear: '2050',
	targetOrigin: 'adopted_plan',
	targetSource: 'Sacramento 2040 General Plan (2024), https://example.org/plan',
	name_es: 'Desempleo',
	description_es: '',
	unit_es: 'por ciento'
};

describe('the indicator form', () => {
	it('reads a valid form, with the Spanish texts and the 2050 target', () => {
		const result = readIndicatorForm(validIndicator, ['economy', 'health']);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.value).toMatchObject({
			name: 'Unemployment',
			areaId: 'economy',
			direction: 'negative',
			progress: 'auto',
			baseYear: null,
			limit: null,
			translations: { es: { name: 'Desempleo', unit: 'por ciento' } },
			target: { value: 4.5, year: 2050, origin: 'adopted_plan', source: validIndicator.targetSource }
		});
	});

	it('reads FormData too, trims, and takes numbers with thousands separators', () => {
		const data = new FormData();
		for (const [k, v] of Object.entries({ ...validIndicator, name: '  Jobs \r\n', targetValue: '1,250.5', limit: '100' })) data.set(k, v);
		const result = readIndicatorForm(data, ['economy']);
		expect(result.ok && result.value.name).toBe('Jobs');
		expect(result.ok && result.value.target?.value).toBe(1250.5);
		expect(result.ok && result.value.limit).toBe(100);
	});

	it('removes the target when its value is blank, whatever the other target fields hold', () => {
		const result = readIndicatorForm({ ...validIndicator, targetValue: '', targetYear: 'soon', targetOrigin: '' }, ['economy']);
		expect(result.ok && result.value.target).toBeNull();
	});

	it('names every field with a problem and keeps what was typed', () => {
		const result = readIndicatorForm(
			{
				...validIndicator,
				name: '',
				area: 'nowhere',
				direction: 'sideways',
				progress: 'maybe',
				sourceUrl: 'data.census.gov',
				baseYear: '15',
				limit: 'lots',
				targetValue: 'ten',
				targetYear: '3050',
				targetOrigin: 'a hunch',
				targetSource: '',
				name_es: 'x'.repeat(201)
			},
			['economy']
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems).toEqual({
			name: 'required',
			name_es: 'too_long',
			area: 'choice',
			direction: 'choice',
			progress: 'choice',
			sourceUrl: 'url',
			baseYear: 'year',
			limit: 'number',
			targetValue: 'number',
			targetYear: 'year',
			targetOrigin: 'choice',
			targetSource: 'target_source'
		});
		expect(result.values.targetValue).toBe('ten');
		expect(result.values.sourceUrl).toBe('data.census.gov');
	});

	it('asks for the target year when a target value is given', () => {
		const result = readIndicatorForm({ ...validIndicator, targetYear: '' }, ['economy']);
		expect(!result.ok && result.problems).toEqual({ targetYear: 'required' });
	});
});

describe('the area form', () => {
	it('needs the name in the default language only', () => {
		const ok = readAreaForm({ name: 'Health', question: 'Are we healthy?', description: '', name_es: '', question_es: '¿Estamos sanos?' });
		expect(ok.ok && ok.value).toEqual({ name: 'Health', question: 'Are we healthy?', description: '', translations: { es: { question: '¿Estamos sanos?' } } });
		const missing = readAreaForm({ name: ' ', question_es: 'x'.repeat(201) });
		expect(!missing.ok && missing.problems).toEqual({ name: 'required', question_es: 'too_long' });
	});
});

describe('the region settings form', () => {
	it('reads both languages, blanks meaning "as in region.yml"', () => {
		const result = readSettingsForm({ name: 'Capital Region', tagline: '', contact: 'hello@example.org', name_es: 'Región Capital', contact_es: 'https://example.org/es' });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.value.base).toEqual({ name: 'Capital Region', shortName: '', tagline: '', about: '', contact: 'hello@example.org' });
		expect(result.value.translations.es).toMatchObject({ name: 'Región Capital', contact: 'https://example.org/es' });
	});

	it('takes the contact as prose, and refuses over-long texts', () => {
		const ok = readSettingsForm({ contact: 'Questions? Write to hello@example.org.' });
		expect(ok.ok && ok.value.base.contact).toBe('Questions? Write to hello@example.org.');
		const result = readSettingsForm({ contact: 'x'.repeat(4001), about_es: 'x'.repeat(4001), shortName: 'y'.repeat(201), tagline: 'z'.repeat(200) });
		expect(!result.ok && result.problems).toEqual({ contact: 'too_long', about_es: 'too_long', shortName: 'too_long' });
		expect(settingsFieldName('shortName', 'es')).toBe('shortName_es');
	});
});

describe('the role form', () => {
	it('accepts only a known role for a named account', () => {
		expect(readRoleForm({ userId: 'u1', role: 'editor' }, ROLES)).toMatchObject({ ok: true, value: { userId: 'u1', role: 'editor' } });
		expect(readRoleForm({ userId: '', role: 'owner' }, ROLES)).toMatchObject({ ok: false, problems: { userId: 'required', role: 'choice' } });
	});
});

describe('the back office navigation', () => {
	const actor = (role: Role, emailVerified = true) => ({ id: 'me', role, emailVerified });
	const hrefs = (groups: ReturnType<typeof adminGroupsFor>) => groups.flatMap((g) => g.links.map((l) => l.href));

	it('shows each role only its own sections, grouped', () => {
		expect(adminGroupsFor(null)).toEqual([]);
		expect(adminGroupsFor(actor('member'))).toEqual([]);
		expect(adminGroupsFor(actor('reviewer'))).toEqual([]);
		expect(adminGroupsFor(actor('admin', false))).toEqual([]);
		expect(adminGroupsFor(actor('editor')).map((g) => g.key)).toEqual(['data']);
		expect(hrefs(adminGroupsFor(actor('editor')))).toEqual(['/admin/indicators', '/admin/areas', '/admin/directory', '/admin/stories']);
		expect(hrefs(adminGroupsFor(actor('admin')))).toEqual(['/admin/indicators', '/admin/areas', '/admin/directory', '/admin/stories', '/admin/settings', '/admin/users', '/admin/audit']);
		// A member who represents an organization sees the directory only.
		expect(hrefs(adminGroupsFor({ ...actor('member'), representativeOf: ['river-city-reads'] }))).toEqual(['/admin/directory']);
		expect(hrefs(adminGroupsFor(actor('admin'), { outbox: true }))).toContain('/admin/outbox');
	});

	it('pages lists and builds the trail and list addresses', () => {
		expect(pageCount(0, 25)).toBe(1);
		expect(pageCount(51, 25)).toBe(3);
		expect(pageNumber('2', 3)).toBe(2);
		expect(pageNumber('9', 3)).toBe(3);
		expect(pageNumber('-1', 3)).toBe(1);
		expect(pageNumber('x', 3)).toBe(1);
		expect(pageNumber(null, 3)).toBe(1);
		expect(breadcrumbs('Back office', [])).toEqual([{ label: 'Back office' }]);
		expect(breadcrumbs('Back office', [{ label: 'Areas', href: '/admin/areas' }])).toEqual([{ label: 'Back office', href: '/admin' }, { label: 'Areas' }]);
		expect(listQuery({ action: 'users.setRole', subjectId: '' }, 2)).toBe('?action=users.setRole&page=2');
		expect(listQuery({}, 1)).toBe('');
	});
});

describe('progress settings from the indicator form', () => {
	const form = { direction: 'positive' as const, progress: 'auto' as const, baseYear: null, limit: null, target: { value: 80, year: 2050, origin: 'adopted_plan' as const, source: 'Plan' } };

	it('keeps region indicators on the default measure unless a base year or limit is set', () => {
		expect(progressConfigFromForm({ origin: 'region' }, form)).toEqual({ origin: 'region' });
		expect(progressConfigFromForm({ origin: 'region' }, { ...form, progress: 'off' })).toEqual({ origin: 'region', auto_progress_calculation: false });
		expect(progressConfigFromForm({ origin: 'region', auto_progress_calculation: false }, form)).toEqual({ origin: 'region' });
		expect(progressConfigFromForm({ origin: 'region' }, { ...form, baseYear: 2018, limit: 100 })).toEqual({
			origin: 'region',
			auto_progress_calculation: true,
			progress_calculation_options: [{ direction: 'positive', base_year: 2018, limit: 100, target: 80, target_year: 2050 }]
		});
	});

	it('edits the headline option of an imported indicator and keeps the others', () => {
		const stored = {
			origin: 'opensdg' as const,
			auto_progress_calculation: false,
			progress_status: 'target_achieved',
			progress_calculation_options: [{ direction: 'negative' as const, target: 5, target_year: 2030, series: 'A' }, { series: 'B' }]
		};
		const next = progressConfigFromForm(stored, { ...form, target: null, baseYear: 2016 });
		expect(next).toEqual({
			origin: 'opensdg',
			auto_progress_calculation: true,
			progress_status: 'target_achieved',
			progress_calculation_options: [{ direction: 'positive', base_year: 2016, series: 'A' }, { series: 'B' }]
		});
		// The stored object is not changed in place.
		expect(stored.progress_calculation_options[0]).toEqual({ direction: 'negative', target: 5, target_year: 2030, series: 'A' });
	});

	it('reads the form values back', () => {
		expect(progressFormValues({ origin: 'region' })).toEqual({ progress: 'auto', baseYear: '', limit: '' });
		expect(progressFormValues({ origin: 'opensdg' })).toEqual({ progress: 'off', baseYear: '', limit: '' });
		expect(progressFormValues({ origin: 'region', auto_progress_calculation: true, progress_calculation_options: [{ base_year: 2018, limit: 100 }] })).toEqual({
			progress: 'auto',
			baseYear: '2018',
			limit: '100'
		});
	});
});

describe('audit changes', () => {
	it('lists changed fields by path, nested ones included', () => {
		expect(
			auditChanges(
				{ name: 'A', target: { value: 5, year: 2030 }, translations: { es: { name: 'a' } }, same: 1 },
				{ name: 'B', target: { value: 5, year: 2050 }, translations: { es: { name: 'a', unit: 'u' } }, same: 1 }
			)
		).toEqual([
			{ path: 'name', before: 'A', after: 'B' },
			{ path: 'target.year', before: '2030', after: '2050' },
			{ path: 'translations.es.unit', before: '', after: 'u' }
		]);
		expect(auditChanges({ role: 'member' }, { role: 'admin' })).toEqual([{ path: 'role', before: 'member', after: 'admin' }]);
		expect(auditChanges(null, { email: 'a@b.c', note: null })).toEqual([
			{ path: 'email', before: '', after: 'a@b.c' },
			{ path: 'note', before: '', after: 'null' }
		]);
		expect(auditChanges('old', 'new')).toEqual([{ path: '(value)', before: 'old', after: 'new' }]);
		expect(prettyJson(null)).toBe('—');
		expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
	});
});

describe('the form that assigns indicators to an area', () => {
	const areas = ['economy', 'health'];
	const formOf = (entries: Array<[string, string]>) => {
		const form = new FormData();
		for (const [name, value] of entries) form.append(name, value);
		return form;
	};

	it('reads each checked indicator once and the chosen area', () => {
		const result = readAssignForm(
			formOf([
				['list', 'unassigned'],
				['indicator', 'local-1'],
				['indicator', ' local-2 '],
				['indicator', 'local-1'],
				['indicator', ''],
				['area', 'health']
			]),
			areas
		);
		expect(result).toEqual({
			ok: true,
			value: { areaId: 'health', indicatorIds: ['local-1', 'local-2'] },
			input: { list: 'unassigned', indicatorIds: ['local-1', 'local-2'], area: 'health', filter: '' }
		});
	});

	it('refuses no checked indicator, no area and an unknown area, keeping what was sent', () => {
		expect(readAssignForm(formOf([['area', 'economy']]), areas)).toMatchObject({ ok: false, problems: { indicators: 'none_checked' } });
		const none = readAssignForm(formOf([['indicator', 'a']]), areas);
		expect(none).toMatchObject({ ok: false, problems: { area: 'required' }, input: { indicatorIds: ['a'] } });
		expect(none.ok === false && none.problems.indicators).toBeFalsy();
		const unknown = readAssignForm(
			formOf([
				['list', 'list'],
				['filter', 'economy'],
				['indicator', 'a'],
				['area', 'nowhere']
			]),
			areas
		);
		expect(unknown).toEqual({ ok: false, problems: { area: 'choice' }, input: { list: 'list', indicatorIds: ['a'], area: 'nowhere', filter: 'economy' } });
		// A list or filter that is not offered falls back to the defaults.
		expect(readAssignForm(formOf([['list', 'x'], ['filter', 'nowhere']]), areas)).toMatchObject({ input: { list: 'unassigned', filter: '' } });
	});

	it('says what to do, keyed by the ids of the form’s fields', () => {
		expect(assignProblemTexts({ indicators: 'none_checked', area: 'required' }, { area: '' }, 'assign')).toEqual({
			'assign-indicators': 'Check at least one indicator, then choose its area and send the form again.',
			'assign-area': 'Choose the area to put the checked indicators in.'
		});
		expect(assignProblemTexts({ area: 'choice' }, { area: 'nowhere' }, 'move')).toEqual({ 'move-area': 'There is no area “nowhere”: choose one of the areas in the list.' });
		expect(assignProblemTexts(undefined, { area: '' }, 'move')).toEqual({});
	});

	it('writes the outcome into the address of the next page and reads it back only for a known area', () => {
		expect(assignedQuery(2, 'health')).toBe('?moved=2&to=health');
		expect(assignedQuery(0, 'health', 'economy')).toBe('?moved=0&to=health&area=economy');
		expect(readAssigned(new URLSearchParams('moved=2&to=health'), areas)).toEqual({ moved: 2, areaId: 'health' });
		expect(readAssigned(new URLSearchParams('moved=0&to=economy'), areas)).toEqual({ moved: 0, areaId: 'economy' });
		expect(readAssigned(new URLSearchParams('moved=2&to=nowhere'), areas)).toBeUndefined();
		expect(readAssigned(new URLSearchParams('moved=-1&to=health'), areas)).toBeUndefined();
		expect(readAssigned(new URLSearchParams('moved=two&to=health'), areas)).toBeUndefined();
		expect(readAssigned(new URLSearchParams('saved'), areas)).toBeUndefined();
	});
});
