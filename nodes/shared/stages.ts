import type { OrderPlace } from './order';
import { entryOf } from './statuses';

/**
 * A partner's lifecycle as stages: each documented status (or event) at the stage it belongs
 * to, numbered from 1 in the order the partner describes. A status of a later stage comes
 * after one of an earlier stage; two of the same stage are not ordered.
 */
export type Stages<Code extends string> = Readonly<Record<Code, number>>;

/**
 * The notification's place in its subject's stages, or none for a status the stages do not
 * list (undocumented): such a notification is never out of date.
 */
export function stagePlace(
	stages: Readonly<Record<string, number>>,
	subject: readonly string[],
	status: string | null,
): OrderPlace[] {
	const stage = status === null ? undefined : entryOf(stages, status);
	return stage === undefined ? [] : [{ subject, rank: stage, status: status as string }];
}
