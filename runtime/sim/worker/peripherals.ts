// Every peripheral model of the simulated board, registered into each fresh
// interpreter by the worker. One line per bridge.

import type { PeripheralFactory } from './bridge-context.js';
import { busBridge } from './bus/bus-bridge.js';
import { netBridge } from './net/net-bridge.js';

export const PERIPHERALS: PeripheralFactory[] = [
  busBridge, // I2C, SPI, UART and their devices (bus/)
  netBridge, // sockets over the host's net service (net/)
];
