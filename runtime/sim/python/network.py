# The simulated board's `network` module: a Wi-Fi station that joins a
# simulated access point (any SSID, any password) and gets a private address.
# Sockets then reach the host's network through the `net` host service.
# Constants and errors follow the port being simulated (esp32 or rp2).
import time
import _mote_net as _net

STA_IF = 0
AP_IF = 1

if _net.ESP32:
    STAT_IDLE = 1000
    STAT_CONNECTING = 1001
    STAT_GOT_IP = 1010
    STAT_BEACON_TIMEOUT = 200
    STAT_NO_AP_FOUND = 201
    STAT_WRONG_PASSWORD = 202
    STAT_ASSOC_FAIL = 203
    STAT_HANDSHAKE_TIMEOUT = 204
    STAT_CONNECT_FAIL = 205
    AUTH_OPEN = 0
    AUTH_WEP = 1
    AUTH_WPA_PSK = 2
    AUTH_WPA2_PSK = 3
    AUTH_WPA_WPA2_PSK = 4
    MODE_11B = 1
    MODE_11G = 2
    MODE_11N = 4
    _HOSTNAME = "mpy-esp32"
    _AP_SSID = "ESP_%02X%02X%02X" % tuple(_net.MAC_AP[3:])
else:
    STAT_IDLE = 0
    STAT_CONNECTING = 1
    STAT_GOT_IP = 3
    STAT_CONNECT_FAIL = -1
    STAT_NO_AP_FOUND = -2
    STAT_WRONG_PASSWORD = -3
    _HOSTNAME = "PicoW"
    _AP_SSID = "PICO%02X%02X" % tuple(_net.MAC_AP[4:])

_SIM_AP = "Mote-Sim-AP"
_SIM_BSSID = b"\x02\x4d\x4f\x54\x45\x01"
_state = {"hostname": _HOSTNAME, "country": "XX", "dns": _net.GATEWAY}
_ap = {"active": False, "ssid": _AP_SSID, "key": "", "channel": 6, "hidden": False, "security": 0}
_sta_conf = {"channel": 6, "reconnects": -1, "txpower": 20, "pm": 0}


def _ip_tuple(up):
    s = _net.sta
    if s["static"]:
        return s["static"]
    if not up:
        return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
    return (_net.STA_IP, _net.NETMASK, _net.GATEWAY, _state["dns"])


class WLAN:
    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = 0
    SEC_WEP = 1
    SEC_WPA = 2
    SEC_WPA2 = 3
    SEC_WPA_WPA2 = 4
    if _net.ESP32:
        PM_NONE = 0
        PM_PERFORMANCE = 1
        PM_POWERSAVE = 2
    else:
        PM_NONE = 0x10
        PM_PERFORMANCE = 0xA11142
        PM_POWERSAVE = 0x11

    def __init__(self, interface_id=STA_IF):
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        self._if = interface_id

    def __repr__(self):
        return "<WLAN %s>" % ("STA" if self._if == STA_IF else "AP")

    def _require_started(self):
        # esp32 refuses to use a radio that was never started; rp2 starts it on demand.
        if self._if == STA_IF and not _net.sta["active"]:
            if _net.ESP32:
                raise OSError("Wifi Not Started")
            _net.sta["active"] = True

    def active(self, is_active=None):
        s = _net.sta if self._if == STA_IF else _ap
        if is_active is None:
            return s["active"]
        s["active"] = bool(is_active)
        if not is_active and self._if == STA_IF:
            self.disconnect()

    def connect(self, ssid=None, key=None, *, bssid=None):
        if self._if != STA_IF:
            raise OSError("STA required")
        self._require_started()
        if ssid is None:
            ssid = _net.sta["ssid"]
        if not isinstance(ssid, str):
            raise TypeError("ssid must be a str")
        if key is not None and not isinstance(key, str):
            raise TypeError("key must be a str")
        s = _net.sta
        s["ssid"] = ssid
        s["up"] = False
        s["joining"] = time.ticks_ms()

    def disconnect(self):
        if self._if == STA_IF:
            _net.sta["joining"] = None
            _net.sta["up"] = False

    def isconnected(self):
        if self._if == AP_IF:
            return False
        return _net.sta_connected()

    def status(self, param=None):
        if param is None:
            if self._if == AP_IF:
                return STAT_IDLE
            if _net.sta_connected():
                return STAT_GOT_IP
            return STAT_CONNECTING if _net.sta["joining"] is not None else STAT_IDLE
        if param == "rssi":
            if not (self._if == STA_IF and _net.sta_connected()):
                raise OSError("STA must be connected" if _net.ESP32 else "not connected")
            return -48
        if param == "stations":
            return []
        raise ValueError("unknown status param")

    def scan(self):
        if self._if != STA_IF:
            raise OSError("STA required")
        self._require_started()
        time.sleep_ms(30)
        return [(_SIM_AP.encode(), _SIM_BSSID, 6, -48, 3, False)]

    def ifconfig(self, config=None):
        if config is None:
            if self._if == AP_IF:
                if not _ap["active"]:
                    return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
                return (_net.GATEWAY, _net.NETMASK, _net.GATEWAY, _net.GATEWAY)
            return _ip_tuple(_net.sta_connected())
        if len(config) != 4:
            raise ValueError("ifconfig needs (ip, subnet, gateway, dns)")
        for a in config:
            if not _net.is_ipv4(a):
                raise ValueError("invalid arguments")
        if self._if == STA_IF:
            _net.sta["static"] = tuple(config)

    def ipconfig(self, *args, **kwargs):
        if args:
            if len(args) != 1 or kwargs:
                raise TypeError("can query only one param")
            ip, mask, gw, _ = self.ifconfig()
            p = args[0]
            if p == "addr4":
                return (ip, mask)
            if p == "gw4":
                return gw
            if p == "dhcp4":
                return _net.sta["static"] is None
            if p == "has_dhcp4":
                return _net.sta["static"] is None and self.isconnected()
            if p in ("addr6", "autoconf6", "has_autoconf6"):
                return [] if p == "addr6" else False
            raise ValueError("unexpected key")
        if "dhcp4" in kwargs and kwargs["dhcp4"]:
            _net.sta["static"] = None
        if "addr4" in kwargs:
            a = kwargs["addr4"]
            if isinstance(a, str):
                ip, _, bits = a.partition("/")
                mask = _mask(int(bits)) if bits else _net.NETMASK
            else:
                ip, mask = a
            cur = self.ifconfig()
            self.ifconfig((ip, mask, kwargs.get("gw4", cur[2] if cur[2] != "0.0.0.0" else _net.GATEWAY), _state["dns"]))

    def config(self, *args, **kwargs):
        conf = _ap if self._if == AP_IF else _sta_conf
        if args:
            if len(args) != 1 or kwargs:
                raise TypeError("can query only one param")
            p = args[0]
            if p == "mac":
                return _net.MAC_AP if self._if == AP_IF else _net.MAC_STA
            if p in ("essid", "ssid"):
                return _ap["ssid"] if self._if == AP_IF else _net.sta["ssid"]
            if p in ("hostname", "dhcp_hostname"):
                return _state["hostname"]
            if p in ("security", "authmode"):
                return _ap["security"] if self._if == AP_IF else 3
            if p in conf and p != "key":
                return conf[p]
            raise ValueError("unknown config param")
        for k, v in kwargs.items():
            if k in ("essid", "ssid"):
                if self._if == AP_IF:
                    _ap["ssid"] = v
                else:
                    _net.sta["ssid"] = v
            elif k in ("hostname", "dhcp_hostname"):
                hostname(v)
            elif k in ("key", "password"):
                _ap["key"] = v
            elif k in ("security", "authmode"):
                _ap["security"] = v
            elif k == "mac":
                raise OSError("can't set MAC address")
            elif k in conf:
                conf[k] = v
            else:
                raise ValueError("unknown config param")


def _mask(bits):
    n = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF if bits else 0
    return "%d.%d.%d.%d" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def hostname(name=None):
    if name is None:
        return _state["hostname"]
    if not isinstance(name, str):
        raise TypeError("hostname must be a str")
    if len(name) > 32:
        raise ValueError("hostname too long")
    _state["hostname"] = name


def country(code=None):
    if code is None:
        return _state["country"]
    if not isinstance(code, str) or len(code) != 2:
        raise ValueError("country code must be 2 characters")
    _state["country"] = code


def ipconfig(*args, **kwargs):
    if args:
        if args[0] == "dns":
            return _state["dns"]
        if args[0] == "prefer":
            return 4
        raise ValueError("unexpected key")
    if "dns" in kwargs:
        if not _net.is_ipv4(kwargs["dns"]):
            raise ValueError("invalid arguments")
        _state["dns"] = kwargs["dns"]
