/**
 * The longest delay a Node timer takes: 2^31 − 1 ms (about 24.8 days). A longer `setTimeout` fires after 1 ms
 * (with only a TimeoutOverflowWarning), so every user-given timeout or delay is checked against this.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Why a duration over MAX_TIMER_MS is refused (schema messages). */
export const TIMER_LIMIT_MESSAGE = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node can set`;
