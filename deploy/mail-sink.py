#!/usr/bin/env python3
"""Development only: a tiny SMTP server that prints every mail it receives, decoded.

    python3 deploy/mail-sink.py [PORT]          # default 2525, listens on 127.0.0.1
    SPRING_MAIL_PORT=2525 deploy/run.sh         # the gateway delivers its outbox here

Standard library only (no smtpd, which Python 3.12 removed). It accepts everything and keeps
nothing; never expose it beyond localhost.
"""
import asyncio
import email
import email.policy
import sys


async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    def reply(line: str) -> None:
        writer.write((line + "\r\n").encode())

    reply("220 mail-sink ESMTP")
    await writer.drain()
    while True:
        raw = await reader.readline()
        if not raw:
            break
        command = raw.decode(errors="replace").strip()
        verb = command[:4].upper()
        if verb in ("EHLO", "HELO"):
            reply("250-mail-sink" if verb == "EHLO" else "250 mail-sink")
            if verb == "EHLO":
                reply("250 8BITMIME")
        elif verb == "DATA":
            reply("354 end with <CRLF>.<CRLF>")
            await writer.drain()
            lines = []
            while True:
                line = await reader.readline()
                if line in (b".\r\n", b".\n", b""):
                    break
                lines.append(line[1:] if line.startswith(b"..") else line)
            show(b"".join(lines))
            reply("250 accepted")
        elif verb == "QUIT":
            reply("221 bye")
            await writer.drain()
            break
        else:  # MAIL, RCPT, RSET, NOOP, …
            reply("250 ok")
        await writer.drain()
    writer.close()


def show(data: bytes) -> None:
    message = email.message_from_bytes(data, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    print("=" * 72)
    for header in ("Message-ID", "From", "To", "Subject"):
        print(f"{header}: {message[header]}")
    print()
    print(body.get_content() if body else "(no text part)")
    sys.stdout.flush()


async def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 2525
    server = await asyncio.start_server(session, "127.0.0.1", port)
    print(f"mail-sink listening on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
