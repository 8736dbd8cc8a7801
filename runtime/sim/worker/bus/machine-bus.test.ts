// machine.I2C, SoftI2C, SPI and UART on the real interpreter: the virtual
// devices answer at their addresses, the OLED in the board view shows what
// the program drew with framebuf, errors are the port's exceptions.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardView } from '../../common/board-view.js';
import { profileById } from '../../common/profiles.js';
import { startTestBoard, waitUntil, type TestBoard } from '../../node/sim-test-kit.js';

const FIXTURE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'oled_driver.py'), 'utf8');

function boardWithDriver(profileId?: string): Promise<TestBoard> {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bus-'));
  fs.mkdirSync(path.join(filesDir, 'lib'));
  fs.writeFileSync(path.join(filesDir, 'lib', 'oled_driver.py'), FIXTURE);
  return startTestBoard({ filesDir, ...(profileId ? { profile: profileById(profileId) } : {}) });
}

async function viewWhere(tb: TestBoard, cond: (v: BoardView) => boolean, what: string): Promise<BoardView> {
  await waitUntil((l) => tb.board.onView(l), () => cond(tb.board.view), 3000, what);
  return tb.board.view;
}

describe('I2C on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await boardWithDriver()));
  afterAll(() => tb.close());

  it('finds the OLED and the sensor on I2C 0, and the same devices through SoftI2C on its pins', async () => {
    const r = await tb.exec('from machine import I2C, SoftI2C, Pin\nprint(I2C(0).scan(), SoftI2C(scl=Pin(9), sda=Pin(8)).scan(), I2C(1).scan())');
    expect(r).toEqual({ out: '[60, 68] [60, 68] []\n', err: '' });
  });

  it('reads the SHT3x, and the readings follow the sensor inputs', async () => {
    await tb.exec(
      [
        'import time',
        'from machine import I2C',
        'i2c = I2C(0)',
        'def crc(b):',
        '    c = 0xFF',
        '    for x in b:',
        '        c ^= x',
        '        for _ in range(8):',
        '            c = ((c << 1) ^ 0x31) & 0xFF if c & 0x80 else (c << 1) & 0xFF',
        '    return c',
        'def measure():',
        "    i2c.writeto(0x44, b'\\x24\\x00')",
        '    time.sleep_ms(16)',
        '    d = i2c.readfrom(0x44, 6)',
        '    assert crc(d[0:2]) == d[2] and crc(d[3:5]) == d[5]',
        "    print('%.2f %.2f' % (-45 + 175 * ((d[0] << 8) | d[1]) / 65535, 100 * ((d[3] << 8) | d[4]) / 65535))",
      ].join('\n'),
    );
    tb.board.setInput({ kind: 'sensor', quantity: 'temperature', value: 31.25 });
    tb.board.setInput({ kind: 'sensor', quantity: 'humidity', value: 12.5 });
    expect(await tb.exec('measure()')).toEqual({ out: '31.25 12.50\n', err: '' });
    tb.board.setInput({ kind: 'sensor', quantity: 'temperature', value: -7.5 });
    tb.board.setInput({ kind: 'sensor', quantity: 'humidity', value: 88 });
    expect(await tb.exec('measure()')).toEqual({ out: '-7.50 88.00\n', err: '' });
  });

  it('shows in the board view exactly the framebuffer the program drew', async () => {
    const r = await tb.exec(
      [
        'import framebuf, binascii',
        'from machine import I2C',
        'from oled_driver import OLED',
        'oled = OLED(128, 64, I2C(0))',
        "oled.text('Mote Studio', 0, 0, 1)",
        "oled.text('I2C 0x3C', 20, 30, 1)",
        'oled.rect(2, 12, 124, 14, 1)',
        'oled.fill_rect(100, 40, 20, 20, 1)',
        'oled.line(0, 63, 127, 44, 1)',
        'oled.contrast(0x40)',
        'oled.show()',
        // The reference: the program's own framebuffer, re-laid out by framebuf as MONO_HLSB rows.
        'ref = bytearray(128 * 64 // 8)',
        'framebuf.FrameBuffer(ref, 128, 64, framebuf.MONO_HLSB).blit(framebuf.FrameBuffer(oled.buffer, 128, 64, framebuf.MONO_VLSB), 0, 0)',
        'print(binascii.hexlify(ref).decode())',
      ].join('\n'),
    );
    expect(r.err).toBe('');
    const expected = r.out.trim();
    expect(expected).toMatch(/^[0-9a-f]{2048}$/);
    expect(expected).not.toBe('0'.repeat(2048));
    const v = await viewWhere(tb, (v) => Buffer.from(v.displays[0]?.pixels ?? []).toString('hex') === expected, 'the OLED showing the frame');
    expect(v.displays[0]).toMatchObject({ kind: 'ssd1306', address: 0x3c, bus: 'i2c0', on: true, inverted: false, contrast: 0x40, width: 128, height: 64 });
    // The wasm port collects garbage only between commands: show() must not copy the frame into its heap.
    const grown = await tb.exec('import gc\na = gc.mem_alloc()\nfor i in range(100):\n    oled.fill_rect(i, 0, 8, 8, 1)\n    oled.show()\nprint(gc.mem_alloc() - a)');
    expect(Number(grown.out)).toBeLessThan(100 * 256);
    await tb.exec('oled.invert(1)\noled.poweroff()');
    await viewWhere(tb, (v) => v.displays[0]?.inverted === true && v.displays[0]?.on === false, 'the OLED inverted and off');
  });

  it('does register-style transfers: writeto_mem, and readfrom_mem with a repeated START', async () => {
    // The SSD1306 answers a read with its status byte: bit 6 set while the display is off.
    const r = await tb.exec(
      [
        'from machine import I2C',
        'i2c = I2C(0)',
        "i2c.writeto_mem(0x3C, 0x80, b'\\xae')",  // control byte 0x80, then DISPLAY OFF
        'print(i2c.readfrom_mem(0x3C, 0x00, 1))',
        "i2c.writeto_mem(0x3C, 0x80, b'\\xaf')",
        'b = bytearray(2)',
        'i2c.readfrom_mem_into(0x3C, 0x00, b)',
        'print(b)',
      ].join('\n'),
    );
    expect(r).toEqual({ out: "b'@'\nbytearray(b'\\x00\\x00')\n", err: '' });
  });

  it('raises the errors the rp2 port raises', async () => {
    const r = await tb.exec(
      [
        'from machine import I2C, SoftI2C, Pin',
        'def err(f):',
        '    try:',
        '        f()',
        "        print('no error')",
        '    except Exception as e:',
        "        print(type(e).__name__, e.errno if isinstance(e, OSError) else e)",
        "err(lambda: SoftI2C(scl=9, sda=8).writeto(0x50, b'x'))",
        'err(lambda: SoftI2C(scl=9, sda=8).readfrom(0x51, 1))',
        "err(lambda: I2C(0).writeto(0x50, b'x'))",
        'err(lambda: I2C(2))',
        'err(lambda: I2C(0, scl=Pin(8), sda=Pin(9)))',
        'err(lambda: I2C(0).readfrom_mem(0x3C, 0, 1, addrsize=12))',
      ].join('\n'),
    );
    expect(r.out).toBe(
      [
        'OSError 19', // SoftI2C: no ACK for the address
        'OSError 19',
        'OSError 5', // rp2's hardware I2C reports any failed transfer as EIO
        "ValueError I2C(2) doesn't exist",
        'ValueError bad SCL pin',
        'ValueError invalid addrsize',
        '',
      ].join('\n'),
    );
  });

  it('drives the SHT3x with SoftI2C primitives, which hardware I2C refuses', async () => {
    tb.board.setInput({ kind: 'sensor', quantity: 'temperature', value: 25 });
    const r = await tb.exec(
      [
        'from machine import I2C, SoftI2C',
        's = SoftI2C(scl=9, sda=8)',
        's.start()',
        "print(s.write(bytes([0x44 << 1, 0x2C, 0x06])))",  // clock-stretching measurement
        's.start()',
        'print(s.write(bytes([0x44 << 1 | 1])))',
        'd = bytearray(6)',
        's.readinto(d)',
        's.stop()',
        "print('%.2f' % (-45 + 175 * ((d[0] << 8) | d[1]) / 65535))",
        'try:',
        '    I2C(0).start()',
        'except OSError as e:',
        '    print(e)',
      ].join('\n'),
    );
    expect(r).toEqual({ out: '3\n1\n25.00\nI2C operation not supported\n', err: '' });
  });

  it('times out with ETIMEDOUT while something holds SDA low', async () => {
    tb.board.setInput({ kind: 'pin', pin: 8, level: 0 });
    try {
      const r = await tb.exec("from machine import I2C\ntry:\n    I2C(0).writeto(0x3C, b'\\x80\\xaf')\nexcept OSError as e:\n    print(e.errno)");
      expect(r.out).toBe('110\n');
    } finally {
      tb.board.setInput({ kind: 'pin', pin: 8, level: null });
    }
    expect((await tb.exec("print(I2C(0).writeto(0x3C, b'\\x80\\xaf'))")).out).toBe('2\n');
  });
});

describe('I2C on the simulated ESP32', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await boardWithDriver('esp32-devkitc')));
  afterAll(() => tb.close());

  it('has the devices on I2C 0 (SCL 18, SDA 19) and answers a missing address with ENODEV', async () => {
    const r = await tb.exec("from machine import I2C\ni2c = I2C(0)\nprint(i2c.scan())\ntry:\n    i2c.writeto(0x50, b'x')\nexcept OSError as e:\n    print(e.errno)");
    expect(r).toEqual({ out: '[60, 68]\n19\n', err: '' });
  });

  it('has the flash on SPI 1 (HSPI) selected by GPIO 5, and prints its buses as the esp32 port does', async () => {
    const r = await tb.exec(
      [
        'from machine import I2C, SPI, Pin',
        'cs = Pin(5, Pin.OUT, value=1)',
        'spi = SPI(1)',
        'cs(0)',
        "spi.write(b'\\x9f')",
        'print(spi.read(3).hex())',
        'cs(1)',
        'print(I2C(0))',
        'print(spi)',
      ].join('\n'),
    );
    expect(r).toEqual({
      out: 'ef4015\nI2C(0, scl=18, sda=19, freq=400000)\nSPI(id=1, baudrate=500000, polarity=0, phase=0, bits=8, firstbit=0, sck=14, mosi=13, miso=12)\n',
      err: '',
    });
  });
});

describe('SPI and UART on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('reads the flash JEDEC ID with CS on GPIO 5, programs a page and reads it back', async () => {
    const r = await tb.exec(
      [
        'import time',
        'from machine import SPI, Pin',
        'cs = Pin(5, Pin.OUT, value=1)',
        'spi = SPI(0)',
        'def cmd(out, n=0):',
        '    cs(0)',
        '    spi.write(out)',
        '    data = spi.read(n) if n else None',
        '    cs(1)',
        '    return data',
        'def wait():',
        '    while cmd(b"\\x05", 1)[0] & 1:',
        '        time.sleep_ms(1)',
        'print(cmd(b"\\x9f", 3).hex())',
        'cmd(b"\\x06")',
        'cmd(b"\\x20\\x00\\x10\\x00")',  // erase the sector at 0x1000
        'wait()',
        'cmd(b"\\x06")',
        'cs(0)',
        'spi.write(b"\\x02\\x00\\x10\\x00")',
        'spi.write(b"hello flash")',
        'cs(1)',
        'wait()',
        'print(cmd(b"\\x03\\x00\\x10\\x00", 12))',
        'print(cmd(b"\\x9f", 3) == SPI(0).read(3))',  // deselected: nobody drives MISO
      ].join('\n'),
    );
    expect(r).toEqual({ out: "ef4015\nb'hello flash\\xff'\nFalse\n", err: '' });
  });

  it('reaches the same flash through SoftSPI on the same pins, with write_readinto and LSB first', async () => {
    const r = await tb.exec(
      [
        'from machine import SoftSPI, Pin',
        'cs = Pin(5, Pin.OUT, value=1)',
        'soft = SoftSPI(sck=Pin(6), mosi=Pin(7), miso=Pin(4))',
        'rx = bytearray(4)',
        'cs(0)',
        'soft.write_readinto(b"\\x9f\\x00\\x00\\x00", rx)',
        'cs(1)',
        'print(rx.hex())',
        'soft.init(firstbit=SoftSPI.LSB)',
        'cs(0)',
        'soft.write_readinto(b"\\xf9\\x00\\x00\\x00", rx)',  // 0x9F, bit-reversed on the wire
        'cs(1)',
        'print(rx.hex())',
      ].join('\n'),
    );
    expect(r).toEqual({ out: 'ffef4015\nfff702a8\n', err: '' });
  });

  it('runs Timer callbacks while UART.read waits, as a board does', async () => {
    const r = await tb.exec(
      [
        'from machine import UART, Timer',
        'ticks = []',
        't = Timer(period=10, mode=Timer.PERIODIC, callback=lambda t: ticks.append(1))',
        'print(UART(0, timeout=200).read(1))',
        't.deinit()',
        'print(len(ticks) >= 10)',
      ].join('\n'),
    );
    expect(r).toEqual({ out: 'None\nTrue\n', err: '' });
  });

  it('loops UART TX back to RX, one character time later', async () => {
    const r = await tb.exec(
      [
        'import time',
        'from machine import UART',
        // 300 baud: a character takes 33 ms, so even a busy machine reads before the first one lands.
        'u = UART(1, 300)',
        "print(u.write(b'ping\\n'), u.read())",  // timeout 0: nothing has crossed the wire yet
        'u.flush()',
        'print(u.txdone(), u.any(), u.readline())',
        // The timeout only bounds a stall between characters; read(256) returns as soon as all arrived.
        'u.init(115200, timeout=1000)',
        'u.write(bytes(range(256)))',
        'print(u.read(256) == bytes(range(256)))',
      ].join('\n'),
    );
    expect(r).toEqual({ out: "5 None\nTrue 5 b'ping\\n'\nTrue\n", err: '' });
  });

  it('raises ValueError for a bus the board lacks', async () => {
    const r = await tb.exec(
      "from machine import SPI, SoftSPI, UART\nfor f in (lambda: SPI(2), lambda: UART(3), lambda: SoftSPI(sck=2)):\n    try:\n        f()\n    except ValueError as e:\n        print(e)",
    );
    expect(r.out).toBe("SPI(2) doesn't exist\nUART(3) doesn't exist\nmust specify all of sck/mosi/miso\n");
  });

  it('Ctrl-C stops a program waiting in UART.read', async () => {
    const running = tb.exec("from machine import UART, Pin\nu = UART(0, timeout=20000)\nPin(25, Pin.OUT).on()\nu.read(10)\nprint('not interrupted')");
    await waitUntil((l) => tb.board.onView(l), () => tb.board.view.outputs[25] === 1, 3000, 'the program to start waiting');
    const t = performance.now();
    await tb.board.write(Buffer.from('\x03'));
    const r = await running;
    expect(performance.now() - t).toBeLessThan(200);
    expect(r.err).toContain('KeyboardInterrupt');
    expect(r.out).toBe('');
  });
});
