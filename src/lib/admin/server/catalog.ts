import type { Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromFlag, fromJson, now, toJson } from '#lib/server/db/values.ts';
import { ForbiddenError, privilegedBulkTransaction, privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { recomputeProgress, type StoredProgressConfig } from '#lib/indicators/server/progress-store.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import type { Translations } from '#lib/i18n/localize.ts';
import { CATALOG_LOCALES, translatedName, type AreaValue, type IndicatorValue, type TargetOrigin } from '../forms.ts';
import { progressConfigFromForm, progressFormValues } from '../progress-config.ts';

/**
 * The back office's reads and writes of the catalog: areas, indicators, their headline
 * targets and progress settings. Every write is audited (privilegedTransaction), recomputes
 * what pages show from it, and bumps the data version so cached pages are rendered anew.
 */

const HEADLINE_KEYS = ['', '{}'];

export interface AdminIndicatorRow {
	id: string;
	name: string;
	areaId: string | null;
	areaName: string;
	unit: string;
	direction: 'positive' | 'negative' | null;
	target: { value: number; year: number } | null;
	isSample: boolean;
	updatedAt: string;
}

export interface AdminAreaRow {
	id: string;
	name: string;
	question: string;
	indicators: number;
}

export async function listAdminAreas(db: Db): Promise<AdminAreaRow[]> {
	const [areas, counts] = await Promise.all([
		db.kysely.selectFrom('area').select(['id', 'name', 'question']).orderBy('position').orderBy('id').execute(),
		db.kysely.selectFrom('indicator').select(['area_id']).execute()
	]);
	return areas.map((a) => ({ ...a, indicators: counts.filter((c) => c.area_id === a.id).length }));
}

/** Every indicator in catalog order; `area`: only that area's; `unassigned`: only those in no area. */
export async function listAdminIndicators(db: Db, filter: { area?: string; unassigned?: boolean } = {}): Promise<AdminIndicatorRow[]> {
	let query = db.kysely
		.selectFrom('indicator as i')
		.leftJoin('area as a', 'a.id', 'i.area_id')
		.select(['i.id', 'i.name', 'i.area_id', 'a.name as area_name', 'i.unit', 'i.direction', 'i.is_sample', 'i.updated_at'])
		.orderBy('a.position')
		.orderBy('i.position')
		.orderBy('i.id');
	if (filter.area) query = query.where('i.area_id', '=', filter.area);
	if (filter.unassigned) query = query.where('i.area_id', 'is', null);
	const [rows, targets] = await Promise.all([
		query.execute(),
		db.kysely.selectFrom('target').select(['indicator_id', 'value', 'year', 'created_at', 'id']).where('series_key', 'in', HEADLINE_KEYS).orderBy('created_at').orderBy('id').execute()
	]);
	// Later rows win: the newest headline target of each indicator.
	const newest = new Map(targets.map((t) => [t.indicator_id, { value: Number(t.value), year: t.year }]));
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		areaId: r.area_id,
		areaName: r.area_name ?? '',
		unit: r.unit,
		direction: r.direction,
		target: newest.get(r.id) ?? null,
		isSample: fromFlag(r.is_sample),
		updatedAt: r.updated_at
	}));
}

/** What the indicator form edits, as stored. */
export interface IndicatorSnapshot {
	name: string;
	description: string;
	unit: string;
	areaId: string | null;
	translations: Translations;
	direction: 'positive' | 'negative' | null;
	sourceName: string;
	sourceUrl: string;
	progressConfig: StoredProgressConfig;
	target: { value: number; year: number; origin: string; source: string } | null;
}

type Executor = Db['kysely'] | Transaction<Database>;

async function readSnapshot(executor: Executor, id: string): Promise<IndicatorSnapshot | undefined> {
	const row = await executor.selectFrom('indicator').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	const target = await executor
		.selectFrom('target')
		.select(['value', 'year', 'origin', 'source'])
		.where('indicator_id', '=', id)
		.where('series_key', 'in', HEADLINE_KEYS)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return {
		name: row.name,
		description: row.description,
		unit: row.unit,
		areaId: row.area_id,
		translations: fromJson<Translations>(row.translations, {}),
		direction: row.direction,
		sourceName: row.source_name,
		sourceUrl: row.source_url,
		progressConfig: fromJson<StoredProgressConfig>(row.progress_config, {}),
		target: target ? { value: Number(target.value), year: target.year, origin: target.origin, source: target.source } : null
	};
}

export function readIndicator(db: Db, id: string): Promise<IndicatorSnapshot | undefined> {
	return readSnapshot(db.kysely, id);
}

/** The indicator as the form's field values (the same names the form posts). */
export function indicatorFormValues(snapshot: IndicatorSnapshot): Record<string, string> {
	const values: Record<string, string> = {
		name: snapshot.name,
		description: snapshot.description,
		unit: snapshot.unit,
		area: snapshot.areaId ?? '',
		direction: snapshot.direction ?? '',
		sourceName: snapshot.sourceName,
		sourceUrl: snapshot.sourceUrl,
		...progressFormValues(snapshot.progressConfig),
		targetValue: snapshot.target ? String(snapshot.target.value) : '',
		targetYear: snapshot.target ? String(snapshot.target.year) : '',
		targetOrigin: snapshot.target?.origin ?? '',
		targetSource: snapshot.target?.source ?? ''
	};
	for (const locale of CATALOG_LOCALES.slice(1)) {
		for (const field of ['name', 'description', 'unit']) values[translatedName(field, locale)] = snapshot.translations[locale]?.[field] ?? '';
	}
	return values;
}

function mergeTranslations(existing: Translations, edited: Record<string, Record<string, string>>, fields: readonly string[]): Translations {
	const merged: Translations = { ...existing };
	for (const [locale, texts] of Object.entries(edited)) {
		const kept = Object.fromEntries(Object.entries(existing[locale] ?? {}).filter(([f]) => !fields.includes(f)));
		const next = { ...kept, ...texts };
		if (Object.keys(next).length) merged[locale] = next;
		else delete merged[locale];
	}
	return merged;
}

function sameTarget(a: IndicatorSnapshot['target'], b: IndicatorValue['target']): boolean {
	if (!a || !b) return a === b;
	return a.value === b.value && a.year === b.year && a.origin === b.origin && a.source === b.source;
}

/**
 * Saves the indicator form (data stewards): metadata, translations, progress settings and the
 * headline target, then recomputes the indicator's progress in the same transaction. A
 * changed target also needs `targets.edit`.
 */
export async function updateIndicator(db: Db, actor: AuditActor | null, id: string, value: IndicatorValue): Promise<IndicatorSnapshot> {
	const subject = { type: 'indicator', id } as const;
	const result = await privilegedTransaction(db, actor, 'catalog.edit', subject, async (trx) => {
		const before = await readSnapshot(trx, id);
		if (!before) throw new UserFacingError(`There is no indicator "${id}" any more: go back to the list of indicators.`);
		const targetChanged = !sameTarget(before.target, value.target);
		if (targetChanged && !can(actor, 'targets.edit', subject)) throw new ForbiddenError('targets.edit');

		const translations = mergeTranslations(before.translations, value.translations, ['name', 'description', 'unit']);
		const progressConfig = progressConfigFromForm(before.progressConfig, value);
		await trx
			.updateTable('indicator')
			.set({
				name: value.name,
				description: value.description,
				unit: value.unit,
				area_id: value.areaId,
				translations: toJson(translations),
				direction: value.direction,
				source_name: value.sourceName,
				source_url: value.sourceUrl,
				progress_config: toJson(progressConfig),
				updated_at: now()
			})
			.where('id', '=', id)
			.execute();
		if (targetChanged) {
			await trx.deleteFrom('target').where('indicator_id', '=', id).where('series_key', 'in', HEADLINE_KEYS).execute();
			if (value.target) {
				await trx
					.insertInto('target')
					.values({
						indicator_id: id,
						series_key: '',
						value: value.target.value,
						year: value.target.year,
						origin: value.target.origin,
						source: value.target.source,
						note: '',
						is_sample: 0,
						created_at: now()
					})
					.execute();
			}
		}
		await recomputeProgress(trx, id);
		await bumpDataVersion(db, trx);
		const after = (await readSnapshot(trx, id))!;
		const summary = targetChanged
			? `Edited indicator ${id}; headline target ${describeTarget(before.target)} → ${describeTarget(after.target)}`
			: `Edited indicator ${id}`;
		return { result: after, audit: { subjectType: 'indicator', subjectId: id, summary, before, after } };
	});
	await rebuildSearchIndex(db);
	return result;
}

function describeTarget(target: IndicatorSnapshot['target']): string {
	return target ? `${target.value} by ${target.year}` : 'none';
}

/** The area an indicator is in (its name as in the back office), or null when it is in none. */
export async function indicatorPlacement(db: Db, id: string): Promise<{ area: { id: string; name: string } | null }> {
	const row = await db.kysely
		.selectFrom('indicator as i')
		.leftJoin('area as a', 'a.id', 'i.area_id')
		.select(['a.id as area_id', 'a.name as area_name'])
		.where('i.id', '=', id)
		.executeTakeFirst();
	return { area: row?.area_id ? { id: row.area_id, name: row.area_name ?? row.area_id } : null };
}

/** Why a bulk assignment changed nothing: the area, or some of the checked indicators, are not in the catalog. */
export class AssignRefused extends Error {
	override name = 'AssignRefused';
	readonly reason: 'area' | 'indicators';
	/** The area, or the indicators, that are missing. */
	readonly ids: string[];
	constructor(reason: 'area' | 'indicators', ids: string[]) {
		super(reason === 'area' ? `There is no area "${ids[0]}".` : `These indicators are not in the catalog: ${ids.join(', ')}.`);
		this.reason = reason;
		this.ids = ids;
	}
}

/**
 * Puts the indicators in area `areaId` (data stewards), all in one transaction or none: one
 * audit entry per indicator moved; those already in the area stay as they are. Returns the
 * ids moved.
 */
export async function assignIndicatorsToArea(db: Db, actor: AuditActor | null, areaId: string, indicatorIds: readonly string[]): Promise<string[]> {
	const ids = [...new Set(indicatorIds)];
	const subjects = ids.map((id) => ({ type: 'indicator', id }) as const);
	return privilegedBulkTransaction(db, actor, 'catalog.edit', subjects, async (trx) => {
		const area = await trx.selectFrom('area').select('id').where('id', '=', areaId).executeTakeFirst();
		if (!area) throw new AssignRefused('area', [areaId]);
		const rows = ids.length ? await trx.selectFrom('indicator').select(['id', 'area_id']).where('id', 'in', ids).execute() : [];
		const was = new Map(rows.map((r) => [r.id, r.area_id]));
		const missing = ids.filter((id) => !was.has(id));
		if (missing.length) throw new AssignRefused('indicators', missing);
		const moving = ids.filter((id) => was.get(id) !== areaId);
		if (moving.length) {
			await trx.updateTable('indicator').set({ area_id: areaId, updated_at: now() }).where('id', 'in', moving).execute();
			await bumpDataVersion(db, trx);
		}
		return {
			result: moving,
			audit: moving.map((id) => {
				const before = was.get(id) ?? null;
				return {
					subjectType: 'indicator',
					subjectId: id,
					summary: `Moved indicator ${id} to area ${areaId} (from ${before ?? 'no area'})`,
					before: { areaId: before },
					after: { areaId }
				};
			})
		};
	});
}

// ---- Areas -------------------------------------------------------------------------

export interface AreaSnapshot {
	name: string;
	question: string;
	description: string;
	translations: Translations;
}

async function readAreaSnapshot(executor: Executor, id: string): Promise<AreaSnapshot | undefined> {
	const row = await executor.selectFrom('area').select(['name', 'question', 'description', 'translations']).where('id', '=', id).executeTakeFirst();
	return row && { name: row.name, question: row.question, description: row.description, translations: fromJson<Translations>(row.translations, {}) };
}

export function readArea(db: Db, id: string): Promise<AreaSnapshot | undefined> {
	return readAreaSnapshot(db.kysely, id);
}

export function areaFormValues(area: AreaSnapshot): Record<string, string> {
	const values: Record<string, string> = { name: area.name, question: area.question, description: area.description };
	for (const locale of CATALOG_LOCALES.slice(1)) {
		for (const field of ['name', 'question', 'description']) values[translatedName(field, locale)] = area.translations[locale]?.[field] ?? '';
	}
	return values;
}

/** Saves an area's name, guiding question and description in every language (data stewards). */
export async function updateArea(db: Db, actor: AuditActor | null, id: string, value: AreaValue): Promise<AreaSnapshot> {
	const result = await privilegedTransaction(db, actor, 'catalog.edit', { type: 'area', id }, async (trx) => {
		const before = await readAreaSnapshot(trx, id);
		if (!before) throw new UserFacingError(`There is no area "${id}" any more: go back to the list of areas.`);
		const translations = mergeTranslations(before.translations, value.translations, ['name', 'question', 'description']);
		await trx
			.updateTable('area')
			.set({ name: value.name, question: value.question, description: value.description, translations: toJson(translations) })
			.where('id', '=', id)
			.execute();
		await bumpDataVersion(db, trx);
		const after = (await readAreaSnapshot(trx, id))!;
		return { result: after, audit: { subjectType: 'area', subjectId: id, summary: `Edited area ${id}`, before, after } };
	});
	await rebuildSearchIndex(db);
	return result;
}

export type { TargetOrigin };
