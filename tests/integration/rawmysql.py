"""A tiny raw MySQL-protocol client for tests that need to send bytes a
driver never would (unknown commands, COM_FIELD_LIST, bad framing).

Wire layout reminders:
  packet  = 3-byte little-endian payload length | 1-byte sequence id | payload
  ERR     = 0xFF | errno:2 | '#' | sqlstate:5 | message
  OK      = 0x00 | affected_rows:lenenc | last_insert_id:lenenc | status:2 | warnings:2 ...
"""

import hashlib
import socket
import struct

# Capability flags (client side).
CLIENT_LONG_PASSWORD = 0x00000001
CLIENT_FOUND_ROWS = 0x00000002
CLIENT_LONG_FLAG = 0x00000004
CLIENT_CONNECT_WITH_DB = 0x00000008
CLIENT_PROTOCOL_41 = 0x00000200
CLIENT_TRANSACTIONS = 0x00002000
CLIENT_SECURE_CONNECTION = 0x00008000
CLIENT_MULTI_STATEMENTS = 0x00010000
CLIENT_MULTI_RESULTS = 0x00020000
CLIENT_PLUGIN_AUTH = 0x00080000

DEFAULT_CAPS = (CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_PROTOCOL_41
                | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
                | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH)

COM_QUIT = 0x01
COM_INIT_DB = 0x02
COM_QUERY = 0x03
COM_FIELD_LIST = 0x04
COM_STATISTICS = 0x09
COM_PING = 0x0E


class ServerError(Exception):
    def __init__(self, errno, sqlstate, message):
        super().__init__(f"({errno}, {sqlstate}) {message}")
        self.errno = errno
        self.sqlstate = sqlstate
        self.message = message


def native_password_scramble(password: bytes, salt: bytes) -> bytes:
    """mysql_native_password: SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw)))."""
    if not password:
        return b""
    h1 = hashlib.sha1(password).digest()
    h2 = hashlib.sha1(h1).digest()
    h3 = hashlib.sha1(salt + h2).digest()
    return bytes(a ^ b for a, b in zip(h1, h3))


def parse_err(payload: bytes) -> ServerError:
    errno = struct.unpack_from("<H", payload, 1)[0]
    if len(payload) >= 9 and payload[3:4] == b"#":
        return ServerError(errno, payload[4:9].decode(), payload[9:].decode("utf8", "replace"))
    return ServerError(errno, "", payload[3:].decode("utf8", "replace"))


def lenenc_int(n: int) -> bytes:
    if n < 251:
        return bytes([n])
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n)
    if n < 1 << 24:
        return b"\xfd" + struct.pack("<I", n)[:3]
    return b"\xfe" + struct.pack("<Q", n)


def frame(payload: bytes, seq: int) -> bytes:
    """One wire frame; payload must be < 16 MiB."""
    assert len(payload) < 0xFFFFFF
    return struct.pack("<I", len(payload))[:3] + bytes([seq & 0xFF]) + payload


class RawConn:
    """A blocking raw connection. read_packet() returns (seq, payload) or
    raises EOFError when the peer closed."""

    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.greeting = None
        self.salt = b""
        self.server_caps = 0
        self.connection_id = None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError(f"peer closed after {len(buf)}/{n} bytes")
            buf += chunk
        return bytes(buf)

    def read_packet(self):
        hdr = self._recv_exact(4)
        length = hdr[0] | hdr[1] << 8 | hdr[2] << 16
        return hdr[3], self._recv_exact(length)

    def send_raw(self, data: bytes):
        self.sock.sendall(data)

    def send_packet(self, payload: bytes, seq: int):
        self.sock.sendall(frame(payload, seq))

    def read_greeting(self):
        seq, p = self.read_packet()
        if p[:1] == b"\xff":
            raise parse_err(p)
        assert p[0] == 10, f"protocol version {p[0]}"
        pos = p.index(b"\0", 1)
        self.server_version = p[1:pos].decode()
        pos += 1
        self.connection_id = struct.unpack_from("<I", p, pos)[0]
        pos += 4
        salt1 = p[pos:pos + 8]
        pos += 9  # 8 bytes + filler
        caps_lo = struct.unpack_from("<H", p, pos)[0]
        pos += 2
        self.charset = p[pos]
        pos += 1
        pos += 2  # status
        caps_hi = struct.unpack_from("<H", p, pos)[0]
        pos += 2
        self.server_caps = caps_lo | caps_hi << 16
        auth_len = p[pos]
        pos += 1
        pos += 10  # reserved (MariaDB: 6 filler + 4 extended caps)
        n2 = max(13, auth_len - 8)
        salt2 = p[pos:pos + n2]
        self.salt = salt1 + salt2.rstrip(b"\0")
        self.greeting = p
        return p

    def handshake_response(self, user="app", password="app", db=None, caps=DEFAULT_CAPS,
                           charset=45):
        if db:
            caps |= CLIENT_CONNECT_WITH_DB
        auth = native_password_scramble(password.encode(), self.salt[:20])
        payload = struct.pack("<IIB", caps, 1 << 24, charset) + b"\0" * 23
        payload += user.encode() + b"\0"
        payload += bytes([len(auth)]) + auth
        if db:
            payload += db.encode() + b"\0"
        payload += b"mysql_native_password\0"
        return payload

    def login(self, user="app", password="app", db=None, caps=DEFAULT_CAPS):
        """Full handshake; returns the OK payload or raises ServerError."""
        self.read_greeting()
        self.send_packet(self.handshake_response(user, password, db, caps), 1)
        seq, p = self.read_packet()
        if p[:1] == b"\xfe":  # AuthSwitchRequest
            pos = p.index(b"\0", 1)
            plugin = p[1:pos]
            salt = p[pos + 1:].rstrip(b"\0")
            assert plugin == b"mysql_native_password", plugin
            self.send_packet(native_password_scramble(password.encode(), salt), seq + 1)
            seq, p = self.read_packet()
        if p[:1] == b"\xff":
            raise parse_err(p)
        assert p[:1] == b"\x00", p[:1]
        self.caps = caps
        return p

    def command(self, payload: bytes):
        """Send one command (seq 0) and return the first response packet."""
        self.send_packet(payload, 0)
        return self.read_packet()[1]

    def read_until_eof_or_err(self, max_packets=100000):
        """Read packets until an EOF (0xFE, short) or ERR; return the list."""
        out = []
        for _ in range(max_packets):
            _, p = self.read_packet()
            out.append(p)
            if p[:1] == b"\xff" or (p[:1] == b"\xfe" and len(p) < 9):
                return out
        raise AssertionError("no EOF/ERR")

    def query_scalar(self, sql: str):
        """COM_QUERY returning one row of one column (text protocol, no
        DEPRECATE_EOF). Returns the value as str or None."""
        self.send_packet(bytes([COM_QUERY]) + sql.encode(), 0)
        _, p = self.read_packet()
        if p[:1] == b"\xff":
            raise parse_err(p)
        if p[:1] == b"\x00":
            return None
        ncols = p[0]
        for _ in range(ncols):
            self.read_packet()
        _, p = self.read_packet()  # EOF after column definitions
        assert p[:1] == b"\xfe"
        rows = self.read_until_eof_or_err()
        if rows[-1][:1] == b"\xff":
            raise parse_err(rows[-1])
        row = rows[0]
        if row[:1] == b"\xfb":
            return None
        n = row[0]
        assert n < 251
        return row[1:1 + n].decode()
