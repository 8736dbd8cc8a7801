// What the board view shows of a simulated board's hardware, and what the
// user can set from it. Plain data: it crosses the worker boundary, Electron
// IPC and the browser-mode WebSocket unchanged (Uint8Array included).

export interface PwmView {
  freq: number;
  /** 0..65535, as duty_u16() reports it. */
  dutyU16: number;
}

/** A display drawn live from the bytes the program sent it. */
export interface DisplayView {
  kind: 'ssd1306';
  /** e.g. "i2c0" or "softi2c". */
  bus: string;
  address: number;
  width: number;
  height: number;
  /** Display ON (0xAF) received. */
  on: boolean;
  /** Inverse display (0xA7). */
  inverted: boolean;
  contrast: number;
  /** 1 bit per pixel, row-major, MSB = leftmost pixel, width/8 bytes a row
   *  (the framebuf MONO_HLSB layout, not the controller's page layout). */
  pixels: Uint8Array;
}

/** A NeoPixel (WS2812) strip on a pin, as last written. */
export interface StripView {
  pin: number;
  /** 0xRRGGBB per LED. */
  colors: number[];
}

/** A hobby servo: a 50 Hz PWM whose pulse width sets the horn's angle. */
export interface ServoView {
  pin: number;
  /** 0..180 degrees, or null when the pulse is outside 0.5..2.5 ms. */
  angle: number | null;
}

export interface BoardView {
  /** GPIO -> level for pins configured as outputs (and not running PWM). */
  outputs: Record<number, 0 | 1>;
  /** GPIO -> PWM running on that pin. */
  pwm: Record<number, PwmView>;
  servos: ServoView[];
  strips: StripView[];
  displays: DisplayView[];
}

export const EMPTY_VIEW: BoardView = { outputs: {}, pwm: {}, servos: [], strips: [], displays: [] };

/** What the user sets in the board view. */
export interface SimInputs {
  /** Buttons by profile name (e.g. "BOOTSEL", "BOOT") -> pressed. */
  buttons: Record<string, boolean>;
  /** GPIO -> 0..65535 on that ADC pin (potentiometer or light-sensor slider). */
  adc: Record<number, number>;
  /** Level an external circuit drives onto an input pin (a switch): overrides pulls. */
  pinLevels: Record<number, 0 | 1>;
  /** The virtual temperature and humidity sensor, in degrees C and %RH. */
  temperature: number;
  humidity: number;
}

export type SimInput =
  | { kind: 'button'; name: string; pressed: boolean }
  | { kind: 'adc'; pin: number; value: number }
  | { kind: 'pin'; pin: number; level: 0 | 1 | null }
  | { kind: 'sensor'; quantity: 'temperature' | 'humidity'; value: number };

export const DEFAULT_INPUTS: SimInputs = { buttons: {}, adc: {}, pinLevels: {}, temperature: 22.5, humidity: 45 };

/** Why an input is refused, or null; the range checks a board view slider cannot break. */
export function checkSimInput(v: unknown): string | null {
  if (typeof v !== 'object' || v === null) return 'input must be an object';
  const i = v as Record<string, unknown>;
  const int = (x: unknown, lo: number, hi: number) => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
  switch (i.kind) {
    case 'button':
      return typeof i.name === 'string' && i.name.length <= 32 && typeof i.pressed === 'boolean' ? null : 'button input needs { name, pressed }';
    case 'adc':
      return int(i.pin, 0, 255) && int(i.value, 0, 65535) ? null : 'adc input needs { pin, value 0..65535 }';
    case 'pin':
      return int(i.pin, 0, 255) && (i.level === 0 || i.level === 1 || i.level === null) ? null : 'pin input needs { pin, level 0, 1 or null }';
    case 'sensor':
      if (i.quantity !== 'temperature' && i.quantity !== 'humidity') return 'sensor quantity must be temperature or humidity';
      if (typeof i.value !== 'number' || !Number.isFinite(i.value)) return 'sensor value must be a number';
      if (i.quantity === 'temperature' ? i.value < -40 || i.value > 125 : i.value < 0 || i.value > 100) return `${i.quantity} out of range`;
      return null;
    default:
      return 'unknown input kind';
  }
}
