import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PROJECT_DIR } from './databases.ts';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

export interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the real CLI (`node src/cli/sac2050.ts …`, in `cwd`: the project by default) and collects its output. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000, cwd = PROJECT_DIR): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['src/cli/sac2050.ts', ...args], {
			cwd,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('error', reject);
		child.once('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

export interface RunningServer {
	url: string;
	port: number;
	output: () => string;
	stop(): Promise<void>;
}

/** Starts `sac2050 serve` on a free port and waits until it answers. */
export async function startServer(env: Record<string, string | undefined>): Promise<RunningServer> {
	const port = await freePort();
	const child: ChildProcess = spawn(process.execPath, ['src/cli/sac2050.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
		cwd: PROJECT_DIR,
		env: { ...process.env, ORIGIN: undefined, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 60_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output}`));
		});
		const check = () => {
			if (output.includes('is running at')) {
				clearTimeout(timer);
				resolve();
			} else setTimeout(check, 50);
		};
		check();
	});
	child.removeAllListeners('exit');
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		output: () => output,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
