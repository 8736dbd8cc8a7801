// Every host service a simulated board can call. One line per service.

import type { HostServiceFactory } from './host-services.js';
import { netService } from './net/net-service.js';

export const HOST_SERVICES: HostServiceFactory[] = [
  netService,
];
