# `import usocket` as older MicroPython code spells it.
from socket import *
