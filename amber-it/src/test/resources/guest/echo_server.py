# A test server for the port proxy, standard library only: GET /headers answers with the request's
# headers, POST /echo with its body, GET /ws is a WebSocket that echoes every message.
import base64, hashlib, http.server, struct, sys

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.websocket()
        self.answer("".join(f"{name}: {value}\n" for name, value in self.headers.items()).encode())

    def do_POST(self):
        self.answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Echo-Path", self.path)
        self.end_headers()
        self.wfile.write(body)

    def websocket(self):
        digest = hashlib.sha1((self.headers["Sec-WebSocket-Key"] + WS_GUID).encode()).digest()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", base64.b64encode(digest).decode())
        self.end_headers()
        self.wfile.flush()
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.rfile.read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            if opcode == 0x8:
                self.send_frame(0x8, data[:2])
                return
            if opcode in (0x1, 0x2, 0x9):
                self.send_frame(0xA if opcode == 0x9 else opcode, data)

    def send_frame(self, opcode, data):
        if len(data) < 126:
            size = bytes([len(data)])
        elif len(data) < 65536:
            size = bytes([126]) + struct.pack(">H", len(data))
        else:
            size = bytes([127]) + struct.pack(">Q", len(data))
        self.wfile.write(bytes([0x80 | opcode]) + size + data)
        self.wfile.flush()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
