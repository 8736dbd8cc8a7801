# Never replaced over the air: runs the OTA agent, which tries a new slot's
# main.py on trial and otherwise waits for releases.
import mote_ota.agent
mote_ota.agent.main()
