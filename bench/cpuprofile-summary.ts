/**
 * Where the time goes in a V8 CPU profile (from `node --cpu-prof`): the functions with the
 * most self time and the most inclusive time (time with everything they call; recursion
 * counted once). Async continuations start at the root, so "inclusive" undercounts callers
 * across an `await`.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results/prof bench/import.ts --dialect sqlite --import-only
 *   node bench/cpuprofile-summary.ts bench/results/prof/<file>.cpuprofile [--top 30]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { intOption, run } from './support.ts';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

function label(node: ProfileNode): string {
	const { functionName, url, lineNumber } = node.callFrame;
	const where = url.replace(/^.*\/(node_modules|src|bench|tests)\//, '$1/');
	return `${functionName || '(anonymous)'} ${where}${where ? `:${lineNumber + 1}` : ''}`;
}

async function main(): Promise<void> {
	const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
	const file = positionals[0];
	if (!file) throw new Error('Usage: node bench/cpuprofile-summary.ts <file.cpuprofile> [--top 30]');
	const top = intOption(values.top, 'top', 30);
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

	const perNode = new Map<number, number>();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const dt = profile.timeDeltas[i] ?? 0;
		perNode.set(id, (perNode.get(id) ?? 0) + dt);
		total += dt;
	});

	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	for (const [id, time] of perNode) {
		const node = byId.get(id);
		if (!node) continue;
		self.set(label(node), (self.get(label(node)) ?? 0) + time);
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const at = byId.get(cur);
			if (!at) break;
			const key = label(at);
			if (seen.has(key)) continue;
			seen.add(key);
			inclusive.set(key, (inclusive.get(key) ?? 0) + time);
		}
	}

	const show = (map: Map<string, number>) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([key, us]) => `${String(Math.round(us / 1000)).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`)
			.join('\n');
	process.stdout.write(`Sampled ${Math.round(total / 1000)} ms\n\nSelf time\n${show(self)}\n\nInclusive time\n${show(inclusive)}\n`);
}

run(main);
