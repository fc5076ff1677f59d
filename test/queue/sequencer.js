/**
 * Runs the queue-mode files in a fixed order: rejections first (they must start nothing), then
 * deliveries handed from one webhook process to the other, the load last (it leaves thousands
 * of executions behind).
 */
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['rejections.queue.test.ts', 'crossprocess.queue.test.ts', 'load.queue.test.ts'];

class QueueSequencer extends Sequencer {
	sort(tests) {
		const rank = (test) => {
			const found = ORDER.findIndex((name) => test.path.endsWith(name));
			return found < 0 ? ORDER.length : found;
		};
		return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
	}
}

module.exports = QueueSequencer;
