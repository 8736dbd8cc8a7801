// Every peripheral model of the simulated board, registered into each fresh
// interpreter by the worker. One line per bridge.

import type { PeripheralFactory } from './bridge-context.js';

export const PERIPHERALS: PeripheralFactory[] = [];
