// Where the MoteApi comes from: the Electron preload or the browser-mode
// WebSocket client (both behind getApi). During development only,
// `?fake` in the URL swaps in an in-page fake board (src/dev/fake-api.ts);
// the production build drops that branch entirely.

import type { MoteApi } from '../../main/common/api';
import { getApi } from './api/index';

export async function connectApi(): Promise<MoteApi> {
  if (import.meta.env.DEV && new URLSearchParams(location.search).has('fake')) {
    const { createFakeApi } = await import('./dev/fake-api');
    return createFakeApi();
  }
  return getApi();
}
