/**
 * Where an imported indicator belongs: the area its own metadata names, else the area the
 * region pack maps its Open SDG goal to, else the area of one of its tags. Pure.
 */

export interface PlacementRules {
	/** Slugs of the areas that exist. */
	areas: ReadonlySet<string>;
	/** Goal number (1–17) → area slug. */
	goals: ReadonlyMap<number, string>;
	/** Tag (lower case) → area slug. */
	tags: ReadonlyMap<string, string>;
}

export type PlacedBy = 'area' | 'goal' | 'tag';

export interface Placement {
	area: string | null;
	by: PlacedBy | null;
	/** The goal read from the metadata or the id, when any. */
	goal: number | null;
}

/** The rules of a region pack's areas (`goals:` and `tags:` in areas.yml). */
export function placementRules(areas: ReadonlyArray<{ slug: string; goals: readonly number[]; tags: readonly string[] }>): PlacementRules {
	const goals = new Map<number, string>();
	const tags = new Map<string, string>();
	for (const a of areas) {
		for (const g of a.goals) if (!goals.has(g)) goals.set(g, a.slug);
		for (const t of a.tags) if (!tags.has(t.toLowerCase())) tags.set(t.toLowerCase(), a.slug);
	}
	return { areas: new Set(areas.map((a) => a.slug)), goals, tags };
}

/** A goal number 1–17 from a value such as `8`, `'8'`, `'08'` or `'Goal 8'`; null otherwise. */
export function asGoal(value: unknown): number | null {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const match = /^(?:goal\s*)?0?(\d{1,2})$/i.exec(text);
	if (!match) return null;
	const goal = Number(match[1]);
	return goal >= 1 && goal <= 17 ? goal : null;
}

/** The goal of an Open SDG indicator id: "8-5-1" → 8, "16-b-1" → 16; null when the id does not start with one. */
export function goalOfIndicatorId(id: string): number | null {
	const match = /^(\d{1,2})[-.]/.exec(id);
	return match ? asGoal(match[1]) : null;
}

function firstString(fields: readonly Record<string, unknown>[], keys: readonly string[]): unknown {
	for (const key of keys) {
		for (const f of fields) {
			const v = f[key];
			if (v !== undefined && v !== null && v !== '') return v;
		}
	}
	return undefined;
}

function tagsOf(fields: readonly Record<string, unknown>[]): string[] {
	const tags: string[] = [];
	for (const f of fields) {
		const v = f.tags;
		const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
		for (const t of list) if (typeof t === 'string' && t.trim()) tags.push(t.trim().toLowerCase());
	}
	return tags;
}

/**
 * Where an indicator goes, from its metadata fields (config first, then meta: the same order
 * as the import reads them) and its id.
 */
export function resolveArea(id: string, fields: readonly Record<string, unknown>[], rules: PlacementRules): Placement {
	const metadataGoal = asGoal(firstString(fields, ['sdg_goal', 'goal', 'goal_number', 'indicator_goal']));
	const goal = metadataGoal ?? goalOfIndicatorId(id);
	const area = firstString(fields, ['area', 'sac2050_area']);
	if (typeof area === 'string' && rules.areas.has(area.trim())) return { area: area.trim(), by: 'area', goal };
	if (goal !== null) {
		const mapped = rules.goals.get(goal);
		if (mapped && rules.areas.has(mapped)) return { area: mapped, by: 'goal', goal };
	}
	for (const tag of tagsOf(fields)) {
		const mapped = rules.tags.get(tag);
		if (mapped && rules.areas.has(mapped)) return { area: mapped, by: 'tag', goal };
	}
	return { area: null, by: null, goal };
}
