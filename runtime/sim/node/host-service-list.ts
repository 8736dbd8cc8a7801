// Every host service a simulated board can call. One line per service.

import type { HostServiceFactory } from './host-services.js';

export const HOST_SERVICES: HostServiceFactory[] = [];
