"""A real SMTP server for the mail tests (aiosmtpd): every message it accepts
is written, with its envelope recipients, to a file in a folder.

    python sink.py PORT DIR

Prints "ready" when it listens on 127.0.0.1:PORT; runs until killed.
Each file is the raw message as received, preceded by one header line
"X-Envelope-To: a@example.org, b@example.org". Files appear atomically
(written under a temporary name, then renamed).
"""

import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, f"{time.time_ns()}-{self.count}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Handler(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
