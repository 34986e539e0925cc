package jp.otpgateway.gateway.shared.adapter.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes an upload strictly: bytes that are not valid in the declared charset are never replaced
 * (no U+FFFD, no '?'); they stop the reading with the physical line they are on. A UTF-8 byte-order
 * mark at the start is dropped. Counts the line breaks it hands out, so the line of a bad byte is
 * the one the file's author sees in an editor.
 */
final class LineCountingDecoder extends Reader {

    /** Bytes that the charset cannot read, on {@code line}. */
    static final class InvalidBytes extends IOException {
        final long line;

        InvalidBytes(long line, Charset charset) {
            super("bytes at line " + line + " are not valid " + charset.name());
            this.line = line;
        }
    }

    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(8192);
    private boolean eof;
    private boolean first = true;
    private long completeLines;

    LineCountingDecoder(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (!eof && bytes.remaining() < 8) {
                fill();
            }
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                countLines(buffer, offset, out.position());
                throw new InvalidBytes(completeLines + 1, charset);
            }
            if (eof && !bytes.hasRemaining()) {
                decoder.flush(out);
                if (out.position() == offset) {
                    return -1;
                }
            }
        }
        int start = offset;
        if (first) {
            first = false;
            if (out.position() > offset && buffer[offset] == '\uFEFF') {
                System.arraycopy(buffer, offset + 1, buffer, offset, out.position() - offset - 1);
                out.position(out.position() - 1);
                if (out.position() == offset) {
                    return read(buffer, offset, length);
                }
            }
        }
        countLines(buffer, start, out.position());
        return out.position() - offset;
    }

    private void countLines(char[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                completeLines++;
            }
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
