# `import ussl` as older MicroPython code spells it.
from ssl import *
