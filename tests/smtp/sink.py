"""A real SMTP server for the mail tests (aiosmtpd): every message it accepts
is written, with its envelope recipients, to a file in a folder.

    python sink.py PORT DIR [--starttls CERT KEY] [--auth USER:PASSWORD]

Prints "ready" when it listens on 127.0.0.1:PORT; runs until killed.
Each file is the raw message as received, preceded by one header line
"X-Envelope-To: a@example.org, b@example.org". Files appear atomically
(written under a temporary name, then renamed).

--starttls: offer STARTTLS with this certificate and key (PEM) and refuse mail
until the client has upgraded. --auth: require AUTH (PLAIN or LOGIN, only over
TLS) with these credentials; wrong ones are refused with 535.
"""

import argparse
import os
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    options = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode() == user and auth_data.password.decode() == password
            )
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.starttls))
    controller = Controller(Handler(args.folder), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
