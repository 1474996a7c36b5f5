// Advisory lock keys are (namespace, key). One lock orders the global log (key 0); one per stream
// serialises its writers (key: the stream's hashtext). Written down once, as the append_events
// migration takes the log lock too.
export const LOCK_NAMESPACE_LOG = 73110;
export const LOCK_NAMESPACE_STREAM = 73111;

/** The streams in the order every writer locks them, so that two writers never deadlock. */
export function lockOrder(streams: Iterable<string>): string[] {
  return [...new Set(streams)].sort();
}
