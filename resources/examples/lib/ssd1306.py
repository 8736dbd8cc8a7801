# A small driver for SSD1306 OLED displays on I2C (128x64 or 128x32), written
# from the controller's datasheet command set by Mote Studio.
#
# The display's memory is organised in "pages": each byte is a column of
# 8 pixels, least significant bit at the top. framebuf's MONO_VLSB format is
# exactly that layout, so this driver draws into a FrameBuffer and show()
# sends its bytes to the display unchanged.
#
# Usage:
#     from machine import Pin, I2C
#     from ssd1306 import SSD1306_I2C
#     oled = SSD1306_I2C(128, 64, I2C(0, scl=Pin(9), sda=Pin(8)))
#     oled.text("Hello", 0, 0)
#     oled.show()
import framebuf

# Commands from the SSD1306 datasheet (section 9, "Command Table").
SET_CONTRAST = 0x81  # + 1 byte: 0..255
ENTIRE_ON_RESUME = 0xA4  # show the RAM (0xA5 would light every pixel)
NORMAL = 0xA6  # 0xA7 = inverse
DISPLAY_OFF = 0xAE
DISPLAY_ON = 0xAF
MEMORY_MODE = 0x20  # + 1 byte: 0 = horizontal addressing
COLUMN_ADDR = 0x21  # + first and last column
PAGE_ADDR = 0x22  # + first and last page
START_LINE = 0x40  # | 0..63
SEG_REMAP = 0xA0  # | 1: column 127 is SEG0 (the usual module wiring)
MUX_RATIO = 0xA8  # + height - 1
COM_SCAN_INC = 0xC0  # scan rows from the top down
COM_SCAN_DEC = 0xC8  # scan rows from the bottom up (the usual module wiring)
DISPLAY_OFFSET = 0xD3  # + 1 byte
COM_PINS = 0xDA  # + 0x12 for 64 rows, 0x02 for 32 rows
CLOCK_DIV = 0xD5  # + 1 byte
PRECHARGE = 0xD9  # + 1 byte
VCOM_DESELECT = 0xDB  # + 1 byte
CHARGE_PUMP = 0x8D  # + 0x14: on (modules without their own high voltage)

# The first byte of every I2C message says what follows.
CONTROL_COMMAND = 0x00
CONTROL_DATA = 0x40


class SSD1306_I2C(framebuf.FrameBuffer):
    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False):
        # external_vcc: the module has its own high-voltage supply (rare), so
        # the controller's charge pump stays off.
        self.external_vcc = external_vcc
        self.width = width
        self.height = height
        self.pages = height // 8
        self.i2c = i2c
        self.addr = addr
        # One buffer: the data control byte, then the pixels. Sending it is a
        # single writeto() with no copying.
        self.message = bytearray(1 + width * self.pages)
        self.message[0] = CONTROL_DATA
        super().__init__(memoryview(self.message)[1:], width, height, framebuf.MONO_VLSB)
        self.init_display()

    def write_cmd(self, *codes):
        self.i2c.writeto(self.addr, bytes((CONTROL_COMMAND,) + codes))

    command = write_cmd

    def init_display(self):
        self.command(DISPLAY_OFF)
        self.command(MEMORY_MODE, 0x00)
        self.command(START_LINE | 0)
        self.command(SEG_REMAP | 1)
        self.command(MUX_RATIO, self.height - 1)
        self.command(COM_SCAN_DEC)
        self.command(DISPLAY_OFFSET, 0)
        self.command(COM_PINS, 0x12 if self.height == 64 else 0x02)
        self.command(CLOCK_DIV, 0x80)
        self.command(PRECHARGE, 0x22 if self.external_vcc else 0xF1)
        self.command(VCOM_DESELECT, 0x30)
        self.command(SET_CONTRAST, 0xFF)
        self.command(ENTIRE_ON_RESUME)
        self.command(NORMAL)
        self.command(CHARGE_PUMP, 0x10 if self.external_vcc else 0x14)
        self.fill(0)
        self.show()
        self.command(DISPLAY_ON)

    def poweroff(self):
        self.command(DISPLAY_OFF)

    def poweron(self):
        self.command(DISPLAY_ON)

    def contrast(self, value):
        self.command(SET_CONTRAST, value & 0xFF)

    def invert(self, on):
        self.command(NORMAL | (1 if on else 0))

    def rotate(self, upright):
        # rotate(False) turns the picture by 180 degrees, for a module mounted
        # the other way up; rotate(True) is the usual orientation (as with the
        # common MicroPython driver, whose API this one keeps).
        self.command(COM_SCAN_DEC if upright else COM_SCAN_INC)
        self.command(SEG_REMAP | (1 if upright else 0))

    def show(self):
        # Write the whole picture: every column of every page.
        self.command(COLUMN_ADDR, 0, self.width - 1)
        self.command(PAGE_ADDR, 0, self.pages - 1)
        self.i2c.writeto(self.addr, self.message)
