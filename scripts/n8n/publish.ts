/**
 * Puts imported workflows live in one statement instead of one n8n CLI run per workflow (each
 * run starts n8n: ~5 s, which made publishing 39 workflows take ~4 minutes of every e2e run).
 * It writes what n8n's own commands write, for the versions this repository tests:
 * - 2.x `publish:workflow --id` → WorkflowRepository.publishVersion: `active = true`,
 *   `activeVersionId = versionId`, refused for an archived workflow or a version with no history
 *   row. 2.x has no `--all` for it any more.
 * - 1.x `update:workflow --id --active=true` → updateActiveState: the same two columns.
 * n8n must be stopped, as for the CLI; on start it serves what these columns say.
 */

/** Positional parameters: SQLite's `?`, PostgreSQL's `$1`. */
export type Placeholder = (index: number) => string;
export const SQLITE: Placeholder = () => '?';
export const POSTGRES: Placeholder = (index) => `$${index + 1}`;

export function publishStatements(
	ids: readonly string[],
	placeholder: Placeholder,
): { update: string; published: string } {
	const list = ids.map((_, index) => placeholder(index)).join(', ');
	return {
		update: `UPDATE workflow_entity SET active = true, "activeVersionId" = "versionId"
			WHERE id IN (${list}) AND "isArchived" = false`,
		// What publishVersion checks first: the version made live has its history row.
		published: `SELECT w.id FROM workflow_entity w
			JOIN workflow_history h ON h."workflowId" = w.id AND h."versionId" = w."versionId"
			WHERE w.id IN (${list}) AND w.active = true AND w."activeVersionId" = w."versionId"`,
	};
}

/** Throws, naming them, when any of `ids` is missing from what the `published` check found. */
export function assertPublished(ids: readonly string[], published: ReadonlyArray<{ id: string }>) {
	const live = new Set(published.map((row) => row.id));
	const missing = ids.filter((id) => !live.has(id));
	if (missing.length > 0)
		throw new Error(
			`workflows ${missing.join(', ')} were not published (not imported, archived, or no history row)`,
		);
}
