/**
 * What the back office's directory pages load and do, shared by the organization and program
 * edit pages: the record's form values, a preview of the changes, publish, restore.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';
import { EDITABLE_FIELDS, fieldTexts, newFunding, type EditableKind, type FieldChange } from '../editing.ts';
import { fundingYear, type Funding, type Organization, type Program } from '../model.ts';
import { fundingFromRow } from './records.ts';
import { editRecord, readRecord, recordHistory, restoreChange, subjectOf } from './editing.ts';

type Event = RequestEvent<{ id: string }>;

async function stored(kind: EditableKind, id: string) {
	return readRecord((await getDb()).kysely, kind, id);
}

function labelOf(record: Organization | Program | Funding): string {
	return 'name' in record ? record.name : record.title || record.id;
}

/** An organization's funding records, given or received, newest first, for its edit page. */
async function fundingOf(organizationId: string): Promise<Array<{ id: string; title: string; amount: number; currency: string; year: number | null }>> {
	const db = await getDb();
	const rows = await db.kysely
		.selectFrom('funding')
		.selectAll()
		.where((eb) => eb.or([eb('recipient_id', '=', organizationId), eb('funder_id', '=', organizationId)]))
		.orderBy('fiscal_year', 'desc')
		.orderBy('award_date', 'desc')
		.limit(100)
		.execute();
	return rows.map(fundingFromRow).map((f) => ({ id: f.id, title: f.title || f.id, amount: f.amount, currency: f.currency, year: fundingYear(f) }));
}

export async function loadEditPage(event: Event, kind: EditableKind) {
	const record = await stored(kind, event.params.id);
	if (!record) {
		requirePermission(event, 'directory.view');
		error(404, m.admin_not_found());
	}
	requirePermission(event, 'directory.edit', subjectOf(kind, record));
	const db = await getDb();
	return {
		kind,
		id: record.id,
		name: labelOf(record),
		creating: false,
		funding: kind === 'organizations' ? await fundingOf(record.id) : [],
		isSample: record.isSample,
		values: fieldTexts(kind, record),
		geographies: (await db.kysely.selectFrom('geography').select(['code', 'name']).orderBy('position').execute()).map((g) => ({ code: g.code, name: g.name })),
		history: await recordHistory(db, kind, record.id),
		saved: event.url.searchParams.has('saved'),
		restored: event.url.searchParams.has('restored'),
		crumbs: [
			{ label: m.admin_nav_directory(), href: '/admin/directory' },
			{ label: labelOf(record), href: `/admin/directory/${kind}/${encodeURIComponent(record.id)}` }
		]
	};
}

/** A new funding record received by `?recipient=`, for its representatives and for editors. */
export async function loadNewFundingPage(event: RequestEvent) {
	const recipient = event.url.searchParams.get('recipient') ?? '';
	const db = await getDb();
	const organization = await readRecord(db.kysely, 'organizations', recipient);
	if (!organization) {
		requirePermission(event, 'directory.view');
		error(404, m.admin_not_found());
	}
	const record = newFunding(recipient, new Date());
	requirePermission(event, 'directory.edit', subjectOf('funding', record));
	return {
		kind: 'funding' as const,
		id: record.id,
		name: m.dir_admin_new_funding({ name: organization.name }),
		creating: true,
		funding: [],
		isSample: false,
		values: fieldTexts('funding', record),
		geographies: [],
		history: [],
		saved: false,
		restored: false,
		crumbs: [
			{ label: m.admin_nav_directory(), href: '/admin/directory' },
			{ label: organization.name, href: `/admin/directory/organizations/${encodeURIComponent(organization.id)}` }
		]
	};
}

/** Preview and publish of a new funding record; its id comes with the form (made when the page was opened). */
export function newFundingActions() {
	const run = async (event: RequestEvent, preview: boolean) => {
		const user = requirePermission(event, 'directory.view');
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		const values: Record<string, string> = {};
		for (const field of EDITABLE_FIELDS.funding) values[field] = String(form.get(field) ?? '');
		const creating: Funding = { ...newFunding(values.recipient_id ?? '', new Date()), id };
		const db = await getDb();
		let outcome: Awaited<ReturnType<typeof editRecord>> | undefined;
		const failure = await writeFailure(async () => {
			outcome = await editRecord(db, user, 'funding', id, values, { preview, creating, source: 'back office' });
		});
		if (failure) return fail(failure.status, { values, problems: {}, message: failure.message, changes: [] as FieldChange[] });
		if (!outcome!.ok) return fail(400, { values, problems: outcome!.problems, changes: [] as FieldChange[] });
		if (preview) return { values, problems: {}, changes: outcome!.changes, previewed: true };
		redirect(303, `/admin/directory/funding/${encodeURIComponent(id)}?saved`);
	};
	return { preview: (event: RequestEvent) => run(event, true), publish: (event: RequestEvent) => run(event, false) };
}

/** The editable fields as posted; several checked places become one `;` list. */
async function postedValues(event: Event, kind: EditableKind): Promise<Record<string, string>> {
	const form = await event.request.formData();
	const values: Record<string, string> = {};
	for (const field of EDITABLE_FIELDS[kind]) {
		values[field] = field === 'service_area' ? form.getAll(field).map(String).join(';') : String(form.get(field) ?? '');
	}
	return values;
}

/** `preview` shows what would change; `publish` saves it; both validate the same way. */
export function editActions(kind: EditableKind) {
	const run = async (event: Event, preview: boolean) => {
		const user = requirePermission(event, 'directory.view');
		const values = await postedValues(event, kind);
		const db = await getDb();
		let outcome: Awaited<ReturnType<typeof editRecord>> | undefined;
		const failure = await writeFailure(async () => {
			outcome = await editRecord(db, user, kind, event.params.id, values, { preview });
		});
		if (failure) return fail(failure.status, { values, problems: {}, message: failure.message, changes: [] as FieldChange[] });
		if (!outcome!.ok) return fail(400, { values, problems: outcome!.problems, changes: [] as FieldChange[] });
		if (preview) return { values, problems: {}, changes: outcome!.changes, previewed: true };
		redirect(303, `/admin/directory/${kind}/${encodeURIComponent(event.params.id)}?saved`);
	};
	return {
		preview: (event: Event) => run(event, true),
		publish: (event: Event) => run(event, false),
		restore: async (event: Event) => {
			const user = requirePermission(event, 'directory.view');
			const changeId = Number((await event.request.formData()).get('change'));
			const db = await getDb();
			const failure = await writeFailure(() => restoreChange(db, user, kind, event.params.id, Number.isInteger(changeId) ? changeId : -1));
			if (failure) return fail(failure.status, { values: undefined, problems: {}, message: failure.message, changes: [] as FieldChange[] });
			redirect(303, `/admin/directory/${kind}/${encodeURIComponent(event.params.id)}?restored`);
		}
	};
}
