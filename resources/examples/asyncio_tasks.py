# title: Two tasks with asyncio
# about: Blink the LED and count at the same time, with two asyncio tasks that take turns.
# lesson: 11
#
# A task runs until it reaches "await"; then another task gets its turn.
# asyncio.sleep() lets the other tasks run while it waits (time.sleep() would
# stop everything).
import sys
import asyncio
from machine import Pin

if sys.platform == "esp32":
    led = Pin(2, Pin.OUT)  # wire an LED to GPIO 2, as in "Blink"
else:
    led = Pin("LED", Pin.OUT)


async def blink(period_ms):
    while True:
        led.toggle()
        print("blink", led.value())
        await asyncio.sleep_ms(period_ms)


async def count():
    n = 0
    while True:
        n += 1
        print("count", n)
        await asyncio.sleep(1)


async def main():
    asyncio.create_task(blink(250))  # starts it in the background
    await count()  # runs forever, sharing the board with blink


asyncio.run(main())
