/**
 * Directory records between their tables and the domain types of ../model.ts, one adapter
 * per record type: how to read them all, write new ones, update changed ones, and compare
 * them field by field in the exchange format's text form (the change history's values).
 */
import { fromFlag, fromJson, toFlag, toJson } from '#lib/server/db/values.ts';
import type { Db } from '#lib/server/db/connect.ts';
import { CELLS, COLUMNS, SAMPLE_COLUMN, type FileKind } from '../exchange.ts';
import { linkKey, type ContributionLink, type Funding, type LinkSubjectType, type Organization, type Policy, type Program, type RecordType } from '../model.ts';
import type { Selectable } from 'kysely';
import type { ContributionLinkTable, FundingTable, OrganizationTable, PolicyTable, ProgramTable } from './schema.ts';
import { insertMany, type ColumnType, type Executor } from './bulk.ts';

export function organizationFromRow(r: Selectable<OrganizationTable>): Organization {
	return {
		id: r.id,
		name: r.name,
		kind: r.kind as Organization['kind'],
		mission: r.mission,
		website: r.website,
		email: r.email,
		phone: r.phone,
		serviceArea: fromJson<string[]>(r.service_area, []),
		verifiedAt: r.verified_at,
		isSample: fromFlag(r.is_sample)
	};
}

export function programFromRow(r: Selectable<ProgramTable>, organizationIds: string[]): Program {
	return {
		id: r.id,
		name: r.name,
		organizationIds,
		description: r.description,
		status: r.status,
		startDate: r.start_date,
		endDate: r.end_date,
		serviceArea: fromJson<string[]>(r.service_area, []),
		website: r.website,
		isSample: fromFlag(r.is_sample)
	};
}

export function policyFromRow(r: Selectable<PolicyTable>): Policy {
	return { id: r.id, name: r.name, adoptedBy: r.adopted_by, adoptedOn: r.adopted_on, status: r.status, url: r.url, description: r.description, isSample: fromFlag(r.is_sample) };
}

export function fundingFromRow(r: Selectable<FundingTable>): Funding {
	return {
		id: r.id,
		funderId: r.funder_id,
		recipientId: r.recipient_id,
		programId: r.program_id,
		title: r.title,
		amount: Number(r.amount),
		currency: r.currency,
		fiscalYear: r.fiscal_year === null ? null : Number(r.fiscal_year),
		awardDate: r.award_date,
		sourceKind: r.source_kind,
		isSample: fromFlag(r.is_sample)
	};
}

export function linkFromRow(r: Selectable<ContributionLinkTable>): ContributionLink {
	return { subjectType: r.subject_type as LinkSubjectType, subjectId: r.subject_id, indicatorId: r.indicator_id, direction: r.direction, note: r.note, isSample: fromFlag(r.is_sample) };
}

export interface Adapter<T> {
	kind: FileKind;
	recordType: RecordType;
	table: 'organization' | 'program' | 'policy' | 'funding' | 'contribution_link';
	key(record: T): string;
	/** Field name → text, in the exchange format (is_sample included). */
	fields(record: T): Array<readonly [string, string]>;
	readAll(db: Executor): Promise<T[]>;
	insert(db: Db, trx: Executor, records: readonly T[], at: string, onBatch?: (written: number) => void): Promise<void>;
	update(trx: Executor, record: T, at: string): Promise<void>;
}

function fieldsOf<T extends { isSample: boolean }>(kind: FileKind, cells: (record: T) => string[]) {
	const names = COLUMNS[kind];
	return (record: T): Array<readonly [string, string]> => {
		const values = cells(record);
		return [...names.map((name, i) => [name, values[i]!] as const), [SAMPLE_COLUMN, record.isSample ? 'true' : 'false'] as const];
	};
}

const STAMPS: ReadonlyArray<readonly [string, ColumnType]> = [
	['is_sample', 'int'],
	['created_at', 'text'],
	['updated_at', 'text']
];

export const organizations: Adapter<Organization> = {
	kind: 'organizations',
	recordType: 'organization',
	table: 'organization',
	key: (o) => o.id,
	fields: fieldsOf('organizations', CELLS.organizations),
	async readAll(db) {
		const rows = await db.selectFrom('organization').selectAll().orderBy('id').execute();
		return rows.map(organizationFromRow);
	},
	async insert(db, trx, records, at, onBatch) {
		const columns = [['id', 'text'], ['name', 'text'], ['kind', 'text'], ['mission', 'text'], ['website', 'text'], ['email', 'text'], ['phone', 'text'], ['service_area', 'text'], ['verified_at', 'text'], ...STAMPS] as const;
		const rows = records.map((o) => [o.id, o.name, o.kind, o.mission, o.website, o.email, o.phone, toJson(o.serviceArea), o.verifiedAt, toFlag(o.isSample), at, at]);
		await insertMany(db, trx, 'organization', columns, rows, onBatch);
	},
	async update(trx, o, at) {
		await trx
			.updateTable('organization')
			.set({ name: o.name, kind: o.kind, mission: o.mission, website: o.website, email: o.email, phone: o.phone, service_area: toJson(o.serviceArea), verified_at: o.verifiedAt, is_sample: toFlag(o.isSample), updated_at: at })
			.where('id', '=', o.id)
			.execute();
	}
};

async function setProgramOrganizations(db: Db, trx: Executor, programs: readonly Program[]): Promise<void> {
	const rows = programs.flatMap((p) => p.organizationIds.map((id, position) => [p.id, id, position]));
	await insertMany(db, trx, 'program_organization', [['program_id', 'text'], ['organization_id', 'text'], ['position', 'int']], rows);
}

export function programsAdapter(db: Db): Adapter<Program> {
	return {
		kind: 'programs',
		recordType: 'program',
		table: 'program',
		key: (p) => p.id,
		fields: fieldsOf('programs', CELLS.programs),
		async readAll(executor) {
			const rows = await executor.selectFrom('program').selectAll().orderBy('id').execute();
			const runs = await executor.selectFrom('program_organization').select(['program_id', 'organization_id']).orderBy('program_id').orderBy('position').execute();
			const byProgram = new Map<string, string[]>();
			for (const r of runs) {
				let list = byProgram.get(r.program_id);
				if (!list) byProgram.set(r.program_id, (list = []));
				list.push(r.organization_id);
			}
			return rows.map((r) => programFromRow(r, byProgram.get(r.id) ?? []));
		},
		async insert(_db, trx, records, at, onBatch) {
			const columns = [['id', 'text'], ['name', 'text'], ['description', 'text'], ['status', 'text'], ['start_date', 'text'], ['end_date', 'text'], ['service_area', 'text'], ['website', 'text'], ...STAMPS] as const;
			const rows = records.map((p) => [p.id, p.name, p.description, p.status, p.startDate, p.endDate, toJson(p.serviceArea), p.website, toFlag(p.isSample), at, at]);
			await insertMany(db, trx, 'program', columns, rows, onBatch);
			await setProgramOrganizations(db, trx, records);
		},
		async update(trx, p, at) {
			await trx
				.updateTable('program')
				.set({ name: p.name, description: p.description, status: p.status, start_date: p.startDate, end_date: p.endDate, service_area: toJson(p.serviceArea), website: p.website, is_sample: toFlag(p.isSample), updated_at: at })
				.where('id', '=', p.id)
				.execute();
			await trx.deleteFrom('program_organization').where('program_id', '=', p.id).execute();
			await setProgramOrganizations(db, trx, [p]);
		}
	};
}

export const policies: Adapter<Policy> = {
	kind: 'policies',
	recordType: 'policy',
	table: 'policy',
	key: (p) => p.id,
	fields: fieldsOf('policies', CELLS.policies),
	async readAll(db) {
		const rows = await db.selectFrom('policy').selectAll().orderBy('id').execute();
		return rows.map(policyFromRow);
	},
	async insert(db, trx, records, at, onBatch) {
		const columns = [['id', 'text'], ['name', 'text'], ['adopted_by', 'text'], ['adopted_on', 'text'], ['status', 'text'], ['url', 'text'], ['description', 'text'], ...STAMPS] as const;
		const rows = records.map((p) => [p.id, p.name, p.adoptedBy, p.adoptedOn, p.status, p.url, p.description, toFlag(p.isSample), at, at]);
		await insertMany(db, trx, 'policy', columns, rows, onBatch);
	},
	async update(trx, p, at) {
		await trx
			.updateTable('policy')
			.set({ name: p.name, adopted_by: p.adoptedBy, adopted_on: p.adoptedOn, status: p.status, url: p.url, description: p.description, is_sample: toFlag(p.isSample), updated_at: at })
			.where('id', '=', p.id)
			.execute();
	}
};

export const funding: Adapter<Funding> = {
	kind: 'funding',
	recordType: 'funding',
	table: 'funding',
	key: (f) => f.id,
	fields: fieldsOf('funding', CELLS.funding),
	async readAll(db) {
		const rows = await db.selectFrom('funding').selectAll().orderBy('id').execute();
		return rows.map(fundingFromRow);
	},
	async insert(db, trx, records, at, onBatch) {
		const columns = [['id', 'text'], ['funder_id', 'text'], ['recipient_id', 'text'], ['program_id', 'text'], ['title', 'text'], ['amount', 'float'], ['currency', 'text'], ['fiscal_year', 'int'], ['award_date', 'text'], ['source_kind', 'text'], ...STAMPS] as const;
		const rows = records.map((f) => [f.id, f.funderId, f.recipientId, f.programId, f.title, f.amount, f.currency, f.fiscalYear, f.awardDate, f.sourceKind, toFlag(f.isSample), at, at]);
		await insertMany(db, trx, 'funding', columns, rows, onBatch);
	},
	async update(trx, f, at) {
		await trx
			.updateTable('funding')
			.set({ funder_id: f.funderId, recipient_id: f.recipientId, program_id: f.programId, title: f.title, amount: f.amount, currency: f.currency, fiscal_year: f.fiscalYear, award_date: f.awardDate, source_kind: f.sourceKind, is_sample: toFlag(f.isSample), updated_at: at })
			.where('id', '=', f.id)
			.execute();
	}
};

export const links: Adapter<ContributionLink> = {
	kind: 'links',
	recordType: 'link',
	table: 'contribution_link',
	key: linkKey,
	fields: fieldsOf('links', CELLS.links),
	async readAll(db) {
		const rows = await db.selectFrom('contribution_link').selectAll().orderBy('subject_type').orderBy('subject_id').orderBy('indicator_id').execute();
		return rows.map(linkFromRow);
	},
	async insert(db, trx, records, at, onBatch) {
		const columns = [['subject_type', 'text'], ['subject_id', 'text'], ['indicator_id', 'text'], ['direction', 'text'], ['note', 'text'], ...STAMPS] as const;
		const rows = records.map((l) => [l.subjectType, l.subjectId, l.indicatorId, l.direction, l.note, toFlag(l.isSample), at, at]);
		await insertMany(db, trx, 'contribution_link', columns, rows, onBatch);
	},
	async update(trx, l, at) {
		await trx
			.updateTable('contribution_link')
			.set({ direction: l.direction, note: l.note, is_sample: toFlag(l.isSample), updated_at: at })
			.where('subject_type', '=', l.subjectType)
			.where('subject_id', '=', l.subjectId)
			.where('indicator_id', '=', l.indicatorId)
			.execute();
	}
};

export interface ChangeCounts {
	created: number;
	updated: number;
	unchanged: number;
}

/**
 * Creates the new records and updates the changed ones inside `trx`, writing the change
 * history (one row per new record, one per changed field); unchanged records are left alone.
 * `existing` is keyed like `adapter.key`. With `trx` null nothing is written (a dry run).
 */
export async function applyRecords<T>(
	db: Db,
	trx: Executor | null,
	adapter: Adapter<T>,
	records: readonly T[],
	existing: ReadonlyMap<string, T>,
	change: { author: string; source: string; at: string },
	onBatch?: (written: number) => void
): Promise<ChangeCounts> {
	const created: T[] = [];
	const updated: T[] = [];
	const history: unknown[][] = [];
	for (const record of records) {
		const key = adapter.key(record);
		const before = existing.get(key);
		if (before === undefined) {
			created.push(record);
			history.push([adapter.recordType, key, '', null, null, change.author, change.source, change.at]);
			continue;
		}
		const old = adapter.fields(before);
		const changedFields = adapter.fields(record).filter(([, value], i) => old[i]![1] !== value);
		if (changedFields.length === 0) continue;
		updated.push(record);
		for (const [field, value] of changedFields) {
			const previous = old.find(([name]) => name === field)![1];
			history.push([adapter.recordType, key, field, previous, value, change.author, change.source, change.at]);
		}
	}
	if (trx) {
		await adapter.insert(db, trx, created, change.at, onBatch);
		for (const record of updated) await adapter.update(trx, record, change.at);
		const columns = [['record_type', 'text'], ['record_id', 'text'], ['field', 'text'], ['old_value', 'text'], ['new_value', 'text'], ['author', 'text'], ['source', 'text'], ['at', 'text']] as const;
		await insertMany(db, trx, 'directory_change', columns, history);
	}
	return { created: created.length, updated: updated.length, unchanged: records.length - created.length - updated.length };
}
