// Where a board logged in as itself may publish and subscribe on the embedded
// broker (ota/PROTOCOL.md §Topics): only its own `P/dev/<id>/...` topics, so it
// cannot report in another board's name nor read another board's desired
// release. Its last will (`.../online` = 0) is one of its own topics.

/** True when `topic` is `<prefix>/dev/<id>/<leaf>`: one level below the device's own. */
export function devicePublishAllowed(prefix: string, id: string, topic: string): boolean {
  const own = `${prefix}/dev/${id}/`;
  if (!topic.startsWith(own)) return false;
  const leaf = topic.slice(own.length);
  return leaf.length > 0 && !/[/+#]/.test(leaf);
}

/** True when the filter `filter` matches only topics under `<prefix>/dev/<id>/`. */
export function deviceSubscribeAllowed(prefix: string, id: string, filter: string): boolean {
  const own = `${prefix}/dev/${id}/`;
  return filter.startsWith(own) && filter.length > own.length;
}
