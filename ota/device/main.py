# Never replaced over the air: runs the OTA agent, which tries a new slot's
# main.py on trial and otherwise waits for releases.
import sys
# Every port searches /lib except a few builds (the WebAssembly one among them).
if '/lib' not in sys.path:
    sys.path.append('/lib')
import mote_ota.agent
mote_ota.agent.main()
