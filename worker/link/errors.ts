/**
 * Thrown by a handler's apply() when a valid body still cannot be applied here, for good (e.g. it names a station
 * this province does not have): the inbox keeps the message as rejected with this reason instead of retrying it.
 * Any other error counts as transient (503, the sender retries).
 */
export class LinkRejected extends Error {}
