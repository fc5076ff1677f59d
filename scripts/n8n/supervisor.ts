/**
 * Leader of the process group that holds n8n and its task runner:
 *
 *   node build/scripts/n8n/supervisor.js <owner pid> <log file> <command> [args…]
 *
 * Started detached (a new process group) by ./instance.ts, always from its compiled file (a
 * child runs on a Node that cannot run .ts). It starts n8n inside its own group and exits when
 * n8n exits. If its owner (npm start, jest) disappears without stopping n8n — killed,
 * crashed — it stops the whole group, so no n8n is left behind. A SIGTERM to the group reaches
 * n8n directly; the supervisor then just waits for n8n to finish shutting down.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const [ownerPid, logFile, command, ...args] = process.argv.slice(2);
const log = fs.openSync(logFile, 'a');
const child = spawn(command, args, { stdio: ['ignore', log, log], env: process.env });

function ownerAlive(): boolean {
	try {
		process.kill(Number(ownerPid), 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function stopGroup(): void {
	try {
		process.kill(-process.pid, 'SIGTERM');
	} catch {
		// group already gone
	}
	setTimeout(() => {
		try {
			process.kill(-process.pid, 'SIGKILL');
		} catch {
			// group already gone
		}
	}, 15000).unref();
}

// The group's SIGTERM/SIGINT is for n8n; stay until it has exited.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});

const watch = setInterval(() => {
	if (!ownerAlive()) {
		clearInterval(watch);
		fs.writeSync(log, `\n[supervisor] owner ${ownerPid} is gone; stopping n8n\n`);
		stopGroup();
	}
}, 1000);

/** Other live members of this process group (Linux /proc). */
function otherGroupMembers(): number[] {
	const members: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (fields[0] !== 'Z' && Number(fields[2]) === process.pid) members.push(Number(entry));
		} catch {
			// exited meanwhile
		}
	}
	return members;
}

child.on('exit', (code, signal) => {
	clearInterval(watch);
	fs.writeSync(log, `\n[supervisor] n8n exited (${signal ?? `code ${code}`})\n`);
	// Anything n8n left in the group (its task runner) goes with it.
	const deadline = Date.now() + 5000;
	const finish = (): void => {
		const left = otherGroupMembers();
		if (left.length > 0 && Date.now() < deadline) {
			for (const pid of left) {
				try {
					process.kill(pid, 'SIGTERM');
				} catch {
					// gone
				}
			}
			setTimeout(finish, 200);
			return;
		}
		for (const pid of left) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		process.exit(code ?? 1);
	};
	finish();
});
