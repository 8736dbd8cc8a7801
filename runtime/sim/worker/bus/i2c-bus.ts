// Two I2C wires (SCL, SDA) and the devices hanging on them. A controller on
// the board (hardware I2C or SoftI2C, whichever pins it uses) runs
// transactions through here; devices see START, bytes, and STOP as on the
// wire, so a transaction left open (stop=False) continues with a repeated
// START exactly like readfrom_mem's register write then read.

/** A device's view of the bus, with the time in ms (performance.now()). */
export interface I2cDevice {
  /** 7-bit address. */
  readonly address: number;
  /** A START (or repeated START) with this address. false = the device NACKs the header (busy, or nothing to say). */
  start(read: boolean, now: number): boolean;
  /** Bytes the controller sends; returns how many were ACKed (a device NACKs the rest). */
  write(data: Uint8Array, now: number): number;
  /** Bytes the device puts on SDA. */
  read(n: number, now: number): Uint8Array;
  /** How long the device holds SCL low before its first read byte (clock stretching), ms. */
  stretchMs?(now: number): number;
  /** STOP, or a START addressed to another device. */
  stop(): void;
}

/** The controller's time: real time in the worker, a stepped clock in unit tests. */
export interface BusClock {
  now(): number;
  /** Blocks up to ms; false when a Ctrl-C arrived (the caller gives up). */
  sleep(ms: number): boolean;
}

/** The address was not ACKed: the ports raise ENODEV (esp32, SoftI2C) or EIO (rp2 hardware). */
export const I2C_NACK = -1;
/** SCL or SDA held low, or clock stretching beyond the controller's timeout: ETIMEDOUT. */
export const I2C_TIMEOUT = -2;
/** Ctrl-C while the transfer waited: KeyboardInterrupt is already scheduled. */
export const I2C_INTERRUPTED = -3;

// The addresses machine.I2C.scan() probes (0x00-0x07 and 0x78-0x7F are reserved).
const SCAN_FIRST = 0x08;
const SCAN_LAST = 0x77;

export class I2cBus {
  private open: I2cDevice | null = null;
  /** SoftI2C primitives: after start() the next byte written is an address. */
  private rawAddressNext = false;
  private rawDevice: I2cDevice | null = null;

  constructor(
    private readonly devices: readonly I2cDevice[],
    private readonly clock: BusClock,
    /** True while something outside the controller holds SCL or SDA low. */
    private readonly held: () => boolean = () => false,
  ) {}

  /** Addresses that ACK, as scan() lists them; a held bus answers nothing. */
  scan(): number[] {
    if (this.held()) return [];
    const found: number[] = [];
    const now = this.clock.now();
    for (let a = SCAN_FIRST; a <= SCAN_LAST; a++) {
      const dev = this.find(a);
      if (!dev) continue;
      this.switchTo(null);
      // scan() writes a zero-length message: START, address, STOP.
      if (dev.start(false, now)) found.push(a);
      dev.stop();
    }
    return found;
  }

  /** Writes a message; the number of data bytes ACKed, or I2C_NACK / I2C_TIMEOUT. */
  write(addr: number, data: Uint8Array, stop: boolean): number {
    const dev = this.begin(addr, false);
    if (typeof dev === 'number') return dev;
    const acked = dev.write(data, this.clock.now());
    this.end(dev, stop || acked < data.length);
    return acked;
  }

  /** Reads n bytes, or I2C_NACK / I2C_TIMEOUT / I2C_INTERRUPTED. */
  read(addr: number, n: number, stop: boolean, timeoutUs: number): Uint8Array | number {
    const dev = this.begin(addr, true);
    if (typeof dev === 'number') return dev;
    const failed = this.stretch(dev, timeoutUs);
    if (failed !== null) {
      this.end(dev, true);
      return failed;
    }
    const data = dev.read(n, this.clock.now());
    this.end(dev, stop);
    return data;
  }

  /** SoftI2C.start(): a START (or repeated START) condition. */
  rawStart(): void {
    this.rawAddressNext = true;
  }

  /** SoftI2C.stop(): a STOP condition. */
  rawStop(): void {
    this.rawDevice?.stop();
    this.rawDevice = null;
    this.rawAddressNext = false;
    this.switchTo(null);
  }

  /** SoftI2C.write(): bytes up to the first NACK; returns how many were ACKed, or I2C_TIMEOUT. */
  rawWrite(data: Uint8Array): number {
    if (this.held()) return I2C_TIMEOUT;
    let i = 0;
    if (this.rawAddressNext && data.length) {
      this.rawAddressNext = false;
      const dev = this.find((data[0] >> 1) & 0x7f);
      this.switchTo(dev);
      if (this.rawDevice && this.rawDevice !== dev) this.rawDevice.stop();
      this.rawDevice = dev && dev.start((data[0] & 1) === 1, this.clock.now()) ? dev : null;
      if (!this.rawDevice) return 0;
      i = 1;
    }
    if (!this.rawDevice || i === data.length) return i;
    return i + this.rawDevice.write(data.subarray(i), this.clock.now());
  }

  /** SoftI2C.readinto(): bytes from the addressed device (0xFF when nobody drives SDA). */
  rawRead(n: number, timeoutUs: number): Uint8Array | number {
    if (this.held()) return I2C_TIMEOUT;
    const dev = this.rawDevice;
    if (!dev) return new Uint8Array(n).fill(0xff);
    const waited = this.stretch(dev, timeoutUs);
    return waited ?? dev.read(n, this.clock.now());
  }

  /** Waits while the device holds SCL low; an error code if that outlasts the controller's timeout or Ctrl-C came. */
  private stretch(dev: I2cDevice, timeoutUs: number): number | null {
    const ms = dev.stretchMs?.(this.clock.now()) ?? 0;
    if (ms <= 0) return null;
    if (ms * 1000 > timeoutUs) return I2C_TIMEOUT;
    return this.clock.sleep(ms) ? null : I2C_INTERRUPTED;
  }

  private begin(addr: number, read: boolean): I2cDevice | number {
    if (this.held()) {
      this.switchTo(null);
      return I2C_TIMEOUT;
    }
    const dev = this.find(addr & 0x7f);
    this.switchTo(dev);
    if (!dev || !dev.start(read, this.clock.now())) {
      // The controller sends STOP after a NACKed address.
      this.switchTo(null);
      return I2C_NACK;
    }
    return dev;
  }

  private end(dev: I2cDevice, stop: boolean): void {
    if (!stop) {
      this.open = dev;
      return;
    }
    dev.stop();
    this.open = null;
  }

  /** A START to another device (or none) ends the open transaction for the previous one. */
  private switchTo(dev: I2cDevice | null): void {
    if (this.open && this.open !== dev) this.open.stop();
    this.open = null;
  }

  private find(addr: number): I2cDevice | null {
    return this.devices.find((d) => d.address === addr) ?? null;
  }
}
