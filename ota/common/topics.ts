// The fleet's MQTT topic scheme (ota/PROTOCOL.md §Topics). Every topic lives
// under one fleet prefix so several fleets, or other applications, can share
// a broker; a device id is one topic level, so it may not hold / + or #.

export type DeviceLeaf = 'state' | 'online' | 'desired' | 'status' | 'get' | 'blk';
const LEAVES: ReadonlySet<string> = new Set<DeviceLeaf>(['state', 'online', 'desired', 'status', 'get', 'blk']);

const DEVICE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const PREFIX = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export function isDeviceId(id: string): boolean {
  return DEVICE_ID.test(id);
}

export function checkDeviceId(id: string): string {
  if (!isDeviceId(id)) throw new Error(`invalid device id ${JSON.stringify(id)}: use 1-64 of A-Z a-z 0-9 _ . -`);
  return id;
}

export class FleetTopics {
  constructor(readonly prefix: string) {
    if (!PREFIX.test(prefix)) throw new Error(`invalid fleet prefix ${JSON.stringify(prefix)}: levels of A-Z a-z 0-9 _ . - separated by /`);
  }

  device(id: string, leaf: DeviceLeaf): string {
    return `${this.prefix}/dev/${id}/${leaf}`;
  }

  /** Subscription filter matching `leaf` of every device. */
  all(leaf: DeviceLeaf): string {
    return `${this.prefix}/dev/+/${leaf}`;
  }

  /** The device id and leaf of a topic under this prefix, or null for anything else. */
  parse(topic: string): { id: string; leaf: DeviceLeaf } | null {
    const head = `${this.prefix}/dev/`;
    if (!topic.startsWith(head)) return null;
    const rest = topic.slice(head.length).split('/');
    if (rest.length !== 2 || !DEVICE_ID.test(rest[0]) || !LEAVES.has(rest[1])) return null;
    return { id: rest[0], leaf: rest[1] as DeviceLeaf };
  }
}
