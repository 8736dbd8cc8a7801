// Messages between the benchmark and its simulator processes (one union each way).

export interface DeviceCounts {
  id: string;
  bytes: number;
  packets: number;
  seq: number;
}

export type ToWorker =
  | { type: 'start'; url: string; prefix: string; publicKey: Buffer; files: Record<string, Buffer>; ids: string[]; group: string; blockSize: number; window: number }
  | { type: 'counts' }
  | { type: 'cpu' }
  | { type: 'close' };

export type FromWorker = { type: 'ready' } | { type: 'counts'; devices: DeviceCounts[] } | { type: 'cpu'; ms: number } | { type: 'closed' };
