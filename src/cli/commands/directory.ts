import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { UserFacingError } from '#lib/server/errors.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { formatIssue, type ParseIssue } from '#lib/indicators/opensdg/data-csv.ts';
import { importDirectory, type DirectoryImportReport } from '#lib/directory/server/import.ts';
import { exportDirectory } from '#lib/directory/server/export.ts';
import type { DateOrder } from '#lib/directory/values.ts';
import { action } from '../run.ts';
import { withDatabase } from './database.ts';

const LISTED_PER_FILE = 20;

function printIssues(kind: 'error' | 'warning', issues: ParseIssue[]): void {
	for (const issue of issues.slice(0, LISTED_PER_FILE)) process.stderr.write(`  ${kind}: ${formatIssue(issue)}\n`);
	if (issues.length > LISTED_PER_FILE) process.stderr.write(`  … and ${issues.length - LISTED_PER_FILE} more ${kind}s in this file.\n`);
}

/** A one-line progress bar, only when the output is a terminal. */
function progressBar(label: string): ((file: string, done: number, total: number) => void) | undefined {
	if (!process.stdout.isTTY) return undefined;
	return (file, done, total) => {
		const width = 30;
		const filled = total === 0 ? width : Math.round((done / total) * width);
		process.stdout.write(`\r${label} ${file.padEnd(18).slice(0, 18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
		if (done === total) process.stdout.write('\x1b[K\n');
	};
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function printReport(report: DirectoryImportReport): void {
	for (const name of report.ignored) process.stderr.write(`${name}: not a file of the directory format; ignored.\n`);
	for (const f of report.files) {
		const format = f.format === '360giving' ? ' (360Giving)' : '';
		const dates = f.dateOrder ? `; dates read ${f.dateOrder}` : '';
		if (f.status === 'failed') {
			process.stderr.write(`${f.file}${format}: FAILED, nothing changed (${plural(f.errors.length, 'error')})\n`);
			printIssues('error', f.errors);
		} else {
			const made = f.organizationsCreated ? `, ${plural(f.organizationsCreated, 'organization')} created` : '';
			const verb = report.dryRun ? 'valid' : f.status;
			console.log(`${f.file}${format}: ${verb}: ${f.created.toLocaleString('en-US')} new, ${f.updated.toLocaleString('en-US')} changed, ${f.unchanged.toLocaleString('en-US')} unchanged${made}${dates}.`);
		}
		if (f.warnings.length) {
			process.stderr.write(`${f.file}: ${plural(f.warnings.length, 'warning')}\n`);
			printIssues('warning', f.warnings);
		}
	}
	const ok = report.files.length - report.failed;
	console.log(
		`${report.dryRun ? 'Dry run, nothing changed: ' : ''}${plural(report.files.length, 'file')} in ${report.dir}: ${ok} ${report.dryRun ? 'valid' : 'imported or unchanged'}, ${report.failed} failed.`
	);
}

function parseDateOrder(value: string | undefined): DateOrder | undefined {
	if (value === undefined) return undefined;
	if (value === 'day-first' || value === 'month-first') return value;
	throw new UserFacingError(`--date-order "${value}" is not known: write --date-order day-first or --date-order month-first.`);
}

/** `import directory` and `export directory`, under the existing `import` and `export` commands. */
export function registerDirectoryCommands(program: Command): void {
	const parent = (name: string, description: string) => program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

	parent('import', 'import data')
		.command('directory')
		.description('import the context directory: organizations.csv, programs.csv, policies.csv, funding.csv (or 360Giving grants files), links.csv; each file all-or-nothing')
		.argument('<dir>', 'the folder of CSV files')
		.option('--dry-run', 'check every file and change nothing')
		.option('--date-order <order>', 'how to read dates such as 01/02/2003 when a file does not tell: day-first or month-first')
		.action(
			action(async (dir: string, opts: { dryRun?: boolean; dateOrder?: string }) => {
				const dateOrder = parseDateOrder(opts.dateOrder);
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					const onProgress = progressBar(opts.dryRun ? 'Checking' : 'Importing');
					const report = await importDirectory(db, path.resolve(dir), {
						author: `cli:${os.userInfo().username}`,
						dryRun: opts.dryRun === true,
						...(dateOrder ? { dateOrder } : {}),
						...(onProgress ? { onProgress } : {})
					});
					printReport(report);
					if (report.failed) process.exitCode = 1;
				});
			})
		);

	parent('export', 'export data')
		.command('directory')
		.description('write the context directory as organizations.csv, programs.csv, policies.csv, funding.csv and links.csv')
		.argument('<dir>', 'the folder to write (created if missing)')
		.action(
			action(async (dir: string) => {
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					const report = await exportDirectory(db, path.resolve(dir));
					const c = report.counts;
					console.log(
						`Exported ${plural(c.organizations, 'organization')}, ${plural(c.programs, 'program')}, ${plural(c.policies, 'policy').replace('policys', 'policies')}, ${plural(c.funding, 'funding record')} and ${plural(c.links, 'link')} to ${report.dir}.`
					);
				});
			})
		);
}
